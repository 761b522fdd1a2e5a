// Hostile documents are parsed in parser processes, within limits: a DOCX and a PDF that expand to hundreds of MB,
// a 20,000-page PDF and a pathological Markdown heading each end indexed or failed with the limit named — while
// this process's event loop never stalls — and a failed file is not parsed again after a restart or a touch,
// only after an edit. Memory and time past their limits end the parser, never its host; a parser never outlives
// a host killed with SIGKILL.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReinConfig } from '../../../src/runtime/config/index.ts';
import { KnowledgeBase, SqliteKnowledgeStore, type KnowledgeFile } from '../../../src/runtime/knowledge/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { docxBomb, manyPagePdf, writeHostileDocuments } from '../../support/hostile-documents.ts';

let docs: Awaited<ReturnType<typeof writeHostileDocuments>>;
let dir: string;
const open: KnowledgeBase[] = [];

beforeAll(async () => {
  dir = tempDir('rein-hostile-');
  docs = await writeHostileDocuments(dir);
}, 120_000);
afterAll(async () => {
  for (const base of open.splice(0)) {
    await base.close();
    await base.store.close();
  }
});

function openBase(config: ReinConfig): KnowledgeBase {
  const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, undefined);
  open.push(base);
  return base;
}

/** The longest the event loop went without running a 20 ms timer. */
function lagMonitor(): () => number {
  let last = performance.now();
  let worst = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last - 20);
    last = now;
  }, 20);
  return () => (clearInterval(timer), worst);
}

const byName = (files: KnowledgeFile[]) => Object.fromEntries(files.map((f) => [path.basename(f.path), f]));

describe('hostile documents', () => {
  it('each ends indexed or failed with the limit it went past; the event loop never stalls', async () => {
    const config = testConfig('', 'http://127.0.0.1:9');
    const base = openBase(config);
    const source = await base.addSource({ path: dir }, 'user', false);
    const lag = lagMonitor();
    const [progress] = await base.ingest(source.id);
    const worst = lag();
    expect(progress).toMatchObject({ total: 4, indexed: 1, failed: 3 });
    const files = byName(await base.store.listFiles(source.id));
    expect(files['heading.md']).toMatchObject({ state: 'indexed' });
    expect(files['bomb.docx']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/unpacks to more than 200 MB \(knowledge\.parse\.max_expanded_mb\), at word\/document\.xml; not tried again until the file changes/) });
    expect(files['pages.pdf']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^20,000 pages, more than 5,000 \(knowledge\.parse\.max_pages\)/) });
    expect(files['flate.pdf']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^unpacks to more than 200 MB \(knowledge\.parse\.max_expanded_mb\), at stream 1/) });
    expect(base.parser.pids).not.toContain(process.pid);
    expect(worst).toBeLessThan(1000);

    // A restart (a new base on the same database) and a touch: nothing is parsed again.
    await base.close();
    const restarted = openBase(config);
    const now = new Date();
    fs.utimesSync(docs.docx, now, now);
    const [again] = await restarted.ingest(source.id);
    expect(again).toMatchObject({ total: 4, indexed: 1, failed: 3 });
    expect(restarted.parser.pids).toEqual([]);
    const after = byName(await restarted.store.listFiles(source.id));
    expect(after['bomb.docx']!.reason).toBe(files['bomb.docx']!.reason);
    expect(after['pages.pdf']!.updatedAt).toBe(files['pages.pdf']!.updatedAt);

    // An edited file is read again.
    manyPagePdf(docs.pages, 3);
    await restarted.ingest(source.id);
    expect(byName(await restarted.store.listFiles(source.id))['pages.pdf']).toMatchObject({ state: 'indexed' });
    manyPagePdf(docs.pages);
  }, 180_000);

  it('a lying ZIP header or one huge paragraph is caught by measuring, not by believing the header', async () => {
    const own = tempDir('rein-hostile-zip-');
    await docxBomb(path.join(own, 'lie.docx'), { lie: true, mb: 100 });
    await docxBomb(path.join(own, 'paragraph.docx'), { paragraphs: false, mb: 100 });
    await docxBomb(path.join(own, 'paragraphs.docx'), { mb: 20 });
    const config = testConfig('knowledge:\n  parse:\n    max_ratio: 100000\n    max_expanded_mb: 50\n', 'http://127.0.0.1:9');
    const base = openBase(config);
    const source = await base.addSource({ path: own }, 'user', false);
    await base.ingest(source.id);
    const files = byName(await base.store.listFiles(source.id));
    expect(files['lie.docx']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^more than 200,000 paragraphs \(knowledge\.parse\.max_paragraphs\)/) });
    expect(files['paragraph.docx']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^unpacks to more than 50 MB \(knowledge\.parse\.max_expanded_mb\), at word\/document\.xml/) });
    expect(files['paragraphs.docx']).toMatchObject({ state: 'failed', reason: expect.stringMatching(/max_paragraphs/) });
    const ratio = openBase(testConfig('', 'http://127.0.0.1:9'));
    const second = await ratio.addSource({ path: path.join(own, 'paragraph.docx') }, 'user', false);
    await ratio.ingest(second.id);
    expect((await ratio.store.listFiles(second.id))[0]).toMatchObject({ state: 'failed', reason: expect.stringMatching(/^word\/document\.xml expands more than 100× \(\d+ (KB|MB) packed; knowledge\.parse\.max_ratio\): a compression bomb\?/) });
  }, 180_000);

  it('memory and CPU time past their limits end the parser, not this process; the next file gets a fresh parser', async () => {
    const unlimited = '    workers: 1\n    max_expanded_mb: 2000\n    max_ratio: 1000000\n    max_paragraphs: 100000000\n    max_pages: 1000000\n';
    const cases = [
      { file: docs.docx, limit: '    memory_mb: 128\n', reason: /memory \(knowledge\.parse\.memory_mb = 128\); not tried again/ },
      { file: docs.pages, limit: '    timeout_s: 2\n', reason: /more than 2 s of CPU time \(knowledge\.parse\.timeout_s\)|did not finish within 11 s \(knowledge\.parse\.timeout_s = 2\)/ },
    ];
    for (const { file, limit, reason } of cases) {
      const base = openBase(testConfig(`knowledge:\n  parse:\n${unlimited}${limit}`, 'http://127.0.0.1:9'));
      const own = tempDir('rein-hostile-limits-');
      fs.copyFileSync(file, path.join(own, `a-${path.basename(file)}`));
      fs.writeFileSync(path.join(own, 'b-fine.md'), '# Fine\n\nThe parser after the bomb works.\n');
      const source = await base.addSource({ path: own }, 'user', false);
      const lag = lagMonitor();
      await base.ingest(source.id);
      expect(lag()).toBeLessThan(1000);
      const files = byName(await base.store.listFiles(source.id));
      expect(files[`a-${path.basename(file)}`]).toMatchObject({ state: 'failed', reason: expect.stringMatching(reason) });
      expect(files['b-fine.md']).toMatchObject({ state: 'indexed' });
    }
  }, 180_000);

  it('no parser outlives its host killed with SIGKILL', async () => {
    const host = spawn(process.execPath, [path.join(import.meta.dirname, 'fixtures/busy-parser.ts'), docs.pages], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pids = await new Promise<number[]>((resolve, reject) => {
      let out = '';
      host.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out) as number[]);
      });
      host.once('exit', () => reject(new Error('the host ended early')));
    });
    expect(pids).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pids.every(isAlive)).toBe(true);
    host.kill('SIGKILL');
    await expect.poll(() => pids.filter(isAlive), { timeout: 10_000 }).toEqual([]);
  }, 60_000);
});

function isAlive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
