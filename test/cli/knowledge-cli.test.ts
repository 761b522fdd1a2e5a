// `rein knowledge` as a child process on a real data dir, embedding through the scripted Ollama server; and the
// progress bar, drawn only when stderr is a terminal.
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knowledgeCommand } from '../../src/cli/commands/knowledge.ts';
import { localKnowledge } from '../../src/cli/commands/knowledge-client.ts';
import { KnowledgeBase, SqliteKnowledgeStore } from '../../src/runtime/knowledge/index.ts';
import { runRein } from '../support/cli.ts';
import { tempDir, testConfig } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { writeBrokenFiles, writeCorpus } from '../runtime/knowledge/corpus.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };

describe('rein knowledge', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [EMBED] });
  });
  afterAll(() => ollama?.close());

  it('add indexes a folder and reports bad files; list, search and remove work on the same database', async () => {
    const home = tempDir('rein-kcli-');
    const docs = tempDir('rein-kcli-docs-');
    await writeCorpus(docs);
    fs.writeFileSync(path.join(docs, 'corrupt.pdf'), '%PDF-1.7\nnot a pdf\n');
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    const add = await runRein(['knowledge', 'add', docs], { env });
    expect(add.stdout).toContain(`source 1: ${docs} (folder)`);
    expect(add.stdout).toContain('7 indexed, 0 skipped, 1 failed of 8 files');
    expect(add.stdout).toMatch(/corrupt\.pdf: corrupt or unsupported PDF/);
    expect(add.code).toBe(1); // a file failed

    const list = await runRein(['knowledge', 'list'], { env });
    expect(list.stdout).toMatch(/1 {2}.* \[folder, all runs; 7 indexed, 0 skipped, 1 failed, \d+ passages\]/);
    expect(list.stdout).toMatch(/failed .*corrupt\.pdf: corrupt or unsupported PDF/);

    const search = await runRein(['knowledge', 'search', 'paid', 'parental', 'leave'], { env });
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^\[1\] handbook\.pdf, p\. 2/);
    expect(search.stdout).toContain('sixteen weeks of paid parental leave');

    const json = JSON.parse((await runRein(['knowledge', 'search', 'restart ingest worker', '--json'], { env })).stdout) as { mode: string; passages: { citation: { label: string } }[] };
    expect(json.mode).toBe('hybrid');
    expect(json.passages[0]!.citation.label).toBe('runbook.md, lines 7–8');

    expect((await runRein(['knowledge', 'remove', '1'], { env })).stdout).toContain('source 1 removed');
    expect((await runRein(['knowledge', 'list'], { env })).stdout).toContain('no knowledge sources');
    const bad = await runRein(['knowledge', 'remove', '7'], { env });
    expect(bad).toMatchObject({ code: 1, stderr: 'rein knowledge: no knowledge source 7\n' });
  }, 120_000);

  it('draws a progress bar on a terminal, and none when piped', async () => {
    const docs = tempDir('rein-kcli-docs-');
    await writeCorpus(docs);
    writeBrokenFiles(docs);
    const config = testConfig('', ollama.url);
    const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, undefined);
    const capture = (tty: boolean) => {
      const stream = Object.assign(new PassThrough(), { isTTY: tty });
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString()));
      return { stream, text: () => text };
    };
    const tty = capture(true);
    const stdout = capture(false);
    await knowledgeCommand(localKnowledge(base, 'test'), ['add', docs], {}, { stdout: stdout.stream, stderr: tty.stream, env: {}, cwd: docs });
    expect(tty.text()).toMatch(new RegExp(String.raw`\r\u001b\[2K\[#+-*\] \d+/13`));
    expect(tty.text()).toContain('passages stored for text search only: no embedding model configured');
    expect(stdout.text()).toContain('8 indexed, 2 skipped, 3 failed of 13 files'); // huge.log is under the default 50 MB cap

    const piped = capture(false);
    await knowledgeCommand(localKnowledge(base, 'test'), ['reindex'], {}, { stdout: capture(false).stream, stderr: piped.stream, env: {}, cwd: docs });
    expect(piped.text()).not.toContain('[#');
    await base.close();
    await base.store.close();
  });
});
