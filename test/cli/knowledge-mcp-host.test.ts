// `rein knowledge` and `rein mcp list|import` with a `rein serve` host running on the data dir: the host ingests and
// answers (its API then lists the source as indexed by it), servers are connected by the host without a restart;
// and without a host the same commands work in-process, with the same `--json`.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectHost } from '../../src/host/client.ts';
import { startHostProcess, waitFor, type HostProcess } from '../host/host-process.ts';
import { writeCorpus } from '../runtime/knowledge/corpus.ts';
import { EVERYTHING } from '../runtime/mcp/helpers.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };
const CLAUDE_JSON = JSON.stringify({ mcpServers: { everything: { command: process.execPath, args: [EVERYTHING] } } });

describe('rein knowledge and rein mcp with a host running', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess | undefined;
  const home = tempDir('rein-khost-');
  const docs = tempDir('rein-khost-docs-');
  const env = () => ({ REIN_HOME: home, OLLAMA_HOST: ollama.url });

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [EMBED] });
    await writeCorpus(docs);
    fs.writeFileSync(path.join(docs, 'corrupt.pdf'), '%PDF-1.7\nnot a pdf\n');
    host = await startHostProcess(home, ollama.url);
  }, 120_000);
  afterAll(async () => {
    await host?.stop();
    await ollama?.close();
  });

  it('knowledge add makes the host ingest the folder; list and search answer through the host', async () => {
    const add = await runRein(['knowledge', 'add', path.basename(docs)], { env: env(), cwd: path.dirname(docs) });
    expect(add.stderr).toContain(`the host (pid ${host!.info.pid}) indexes ${docs}`);
    expect(add.stdout).toContain(`source 1: ${docs} (folder)`);
    expect(add.stdout).toContain('7 indexed, 0 skipped, 1 failed of 8 files');
    expect(add.stdout).toMatch(/corrupt\.pdf: corrupt or unsupported PDF/);
    expect(add.code).toBe(1); // a file failed

    // The host did the pass: its own API reports the source indexed, with the progress of its (finished) ingestion.
    const connection = await connectHost(host!.info);
    try {
      const [source] = await waitFor(async () => {
        const sources = await connection.api.knowledge.sources();
        return sources[0]?.progress?.state === 'done' && sources;
      }, 'the host to list the source as indexed');
      expect(source).toMatchObject({ id: 1, path: docs, files: { indexed: 7, failed: 1 }, progress: { state: 'done', indexed: 7, failed: 1 } });
    } finally {
      connection.close();
    }

    const list = await runRein(['knowledge', 'list'], { env: env() });
    expect(list.stdout).toMatch(/1 {2}.* \[folder, all runs; 7 indexed, 0 skipped, 1 failed, \d+ passages\]/);
    const search = await runRein(['knowledge', 'search', 'paid', 'parental', 'leave'], { env: env() });
    expect(search.code).toBe(0);
    expect(search.stdout).toMatch(/^\[1\] handbook\.pdf, p\. 2/);
    expect(search.stdout).toContain('sixteen weeks of paid parental leave');

    const reindex = await runRein(['knowledge', 'reindex', '1'], { env: env() });
    expect(reindex.stderr).toContain(`the host (pid ${host!.info.pid}) indexes source 1`);
    expect(reindex.stdout).toContain('7 indexed, 0 skipped, 1 failed of 8 files');
  }, 180_000);

  it('mcp import has the host connect the servers at once; mcp list shows their live state', async () => {
    const file = path.join(tempDir('rein-khost-json-'), 'claude_desktop_config.json');
    fs.writeFileSync(file, CLAUDE_JSON);
    const imported = await runRein(['mcp', 'import', file], { env: env() });
    expect(imported.stdout).toContain(`added everything to ${path.join(home, 'rein.yaml')}`);
    expect(imported.stdout).toMatch(new RegExp(`the running host \\(pid ${host!.info.pid}\\) started them without a restart:\\n  everything: ready, \\d+ tools`));
    expect(imported.code).toBe(0);

    const list = await runRein(['mcp', 'list'], { env: env() });
    expect(list.stdout).toContain(`MCP servers of the running host (pid ${host!.info.pid}):`);
    expect(list.stdout).toMatch(/everything {2}ready {2}stdio {2}\d+ tools/);
    expect(list.stdout).toMatch(/everything__echo \[\w+\]/);
    expect(list.code).toBe(0);

    // A file the host does not read is written here, and the host is left alone.
    const other = path.join(tempDir('rein-khost-other-'), 'other.yaml');
    fs.writeFileSync(other, '');
    const elsewhere = await runRein(['mcp', 'import', file, '--config', other], { env: env() });
    expect(elsewhere.stdout).toContain(`added everything to ${other}\nthe running host (pid ${host!.info.pid}) reads ${path.join(home, 'rein.yaml')}, not ${other}, so it does not start them`);
  }, 180_000);

  it('without a host the same commands work in-process, and search --json is the same as through the host', async () => {
    const viaHost = await runRein(['knowledge', 'search', 'restart ingest worker', '--json'], { env: env() });
    const alone = tempDir('rein-khost-alone-');
    const aloneEnv = { REIN_HOME: alone, OLLAMA_HOST: ollama.url };
    const add = await runRein(['knowledge', 'add', docs], { env: aloneEnv });
    expect(add.stderr).not.toContain('the host');
    expect(add.stdout).toContain('7 indexed, 0 skipped, 1 failed of 8 files');
    const inProcess = await runRein(['knowledge', 'search', 'restart ingest worker', '--json'], { env: aloneEnv });
    expect(JSON.parse(inProcess.stdout)).toEqual(JSON.parse(viaHost.stdout));
    expect(JSON.parse(inProcess.stdout)).toMatchObject({ mode: 'hybrid', passages: [{ citation: { n: 1, label: 'runbook.md, lines 7–8' } }] });

    fs.writeFileSync(path.join(alone, 'rein.yaml'), `mcp_servers:\n  - name: everything\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(EVERYTHING)}]\n`);
    const list = await runRein(['mcp', 'list'], { env: aloneEnv });
    expect(list.stdout).not.toContain('running host');
    expect(list.stdout).toMatch(/everything {2}ready {2}stdio {2}\d+ tools/);
    expect(list.code).toBe(0);
  }, 180_000);
});
