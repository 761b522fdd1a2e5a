// kill -9 during ingestion: the next run continues where it stopped — files finished before the kill are not read
// or embedded again, the rest are indexed, nothing is lost.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbedder } from '../../../src/runtime/index.ts';
import { KnowledgeBase, SqliteKnowledgeStore } from '../../../src/runtime/knowledge/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';

const CHILD = path.join(import.meta.dirname, 'ingest-child.ts');
const FILES = 60;

describe('knowledge ingestion killed with SIGKILL', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [{ name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words', embeddingDimensions: 32 }] });
  });
  afterAll(() => ollama?.close());

  it('resumes: the files done before the kill are skipped, the others indexed', async () => {
    const docs = tempDir('rein-kcrash-docs-');
    for (let i = 0; i < FILES; i++) fs.writeFileSync(path.join(docs, `note-${String(i).padStart(2, '0')}.md`), `# Note ${i}\n\nThe codeword for note ${i} is zebra${i}.\n`);
    const config = testConfig('', ollama.url);
    const child = spawn(process.execPath, [CHILD], {
      env: { PATH: process.env.PATH, REIN_HOME: config.dataDir, OLLAMA_URL: ollama.url, DOCS: docs, HALF: '20' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        output += d.toString();
        if (output.includes('HALF')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('exit', () => (output.includes('HALF') ? resolve() : reject(new Error(`child ended early:\n${output}`))));
    });
    await new Promise((resolve) => child.once('exit', resolve).exitCode !== null && resolve(undefined));
    expect(output).not.toContain('ALL DONE');

    const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, createEmbedder(config, 'nomic-embed-text'));
    const [source] = await base.sources();
    const before = await base.store.listFiles(source!.id);
    const finished = before.filter((f) => f.state === 'indexed').length;
    expect(finished).toBeGreaterThanOrEqual(20);
    expect(finished).toBeLessThan(FILES);

    const mark = ollama.requests.length;
    const [progress] = await base.ingest(source!.id);
    expect(progress).toMatchObject({ total: FILES, indexed: FILES, failed: 0 });
    const embedded = ollama.requests.slice(mark).filter((r) => r.path === '/api/embed').flatMap((r) => (r.body as { input: string[] }).input);
    // Only files that were not finished are embedded again (at most the one in flight is repeated).
    expect(embedded.length).toBeLessThanOrEqual(FILES - finished + 1);
    expect((await base.store.listFiles(source!.id)).every((f) => f.state === 'indexed' && f.chunks === 1)).toBe(true);
    expect((await base.search('codeword zebra42', { all: true })).passages[0]!.relativePath).toBe('note-42.md');
    await base.close();
    await base.store.close();
  }, 60_000);
});
