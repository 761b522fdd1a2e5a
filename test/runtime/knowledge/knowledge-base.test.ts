// Knowledge through the real parsers into a real SQLite file, with the real Ollama client embedding against the
// scripted server: the right passage ranks in the top 3, citations point at the right page/lines, an edit
// re-indexes only that file, a delete removes its passages, bad files are reported one by one.
import fs from 'node:fs';
import path from 'node:path';
import { convert } from 'officeparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase, SqliteKnowledgeStore, type Passage } from '../../../src/runtime/knowledge/index.ts';
import { createEmbedder } from '../../../src/runtime/memory/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { RUNBOOK, writeBrokenFiles, writeCorpus } from './corpus.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };

const QUESTIONS: { q: string; file: string; cite: RegExp }[] = [
  { q: 'How many weeks of paid parental leave do employees get?', file: 'handbook.pdf', cite: /handbook\.pdf, p\. 2$/ },
  { q: 'deadline for submitting expense receipts', file: 'handbook.pdf', cite: /handbook\.pdf, p\. 3$/ },
  { q: 'notice period to terminate the agreement', file: 'contract.docx', cite: /^contract\.docx$/ },
  { q: 'is the supplier liability capped', file: 'contract.docx', cite: /^contract\.docx$/ },
  { q: 'how do I restart the ingest worker', file: 'runbook.md', cite: /runbook\.md, lines 7–8$/ },
  { q: 'exponential backoff with jitter', file: 'src/retry.ts', cite: /src\/retry\.ts, lines 1–10$/ },
  { q: 'guest wifi password', file: 'notes.txt', cite: /notes\.txt, lines 1–3$/ },
  { q: 'when does the cafeteria serve lasagna', file: 'cafeteria.html', cite: /^cafeteria\.html$/ },
  { q: 'search team budget', file: 'budget.csv', cite: /budget\.csv, lines 2–3$/ },
];

// Each base starts its own parser processes (about a second, more on a loaded machine), hence the longer timeout.
describe('knowledge base (real files, real SQLite)', { timeout: 120_000 }, () => {
  let ollama: ScriptedOllama;
  const open: KnowledgeBase[] = [];

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [EMBED] });
  });
  afterAll(async () => ollama?.close());
  afterEach(async () => {
    for (const base of open.splice(0)) {
      await base.close();
      await base.store.close();
    }
  });

  const make = (yaml = '', embed = true) => {
    const config = testConfig(yaml, ollama.url);
    const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, embed ? createEmbedder(config, 'nomic-embed-text') : undefined);
    open.push(base);
    return { base, config };
  };
  const embedInputs = (from: number) =>
    ollama.requests.slice(from).filter((r) => r.path === '/api/embed').flatMap((r) => (r.body as { input: string | string[] }).input);

  it('finds the right passage in the top 3 for each question, citing its page or lines', async () => {
    const dir = tempDir('rein-kb-');
    await writeCorpus(dir);
    const { base } = make();
    const source = await base.addSource({ path: dir }, 'user', false);
    const [progress] = await base.ingest();
    expect(progress).toMatchObject({ state: 'done', total: 7, indexed: 7, failed: 0, skipped: 0 });
    expect(progress!.embedUnavailable).toBeUndefined();
    for (const { q, file, cite } of QUESTIONS) {
      const result = await base.search(q, { all: true });
      expect(result.mode).toBe('hybrid');
      const top = result.passages.slice(0, 3);
      const hit = top.find((p: Passage) => p.relativePath === file);
      expect(hit, `${q} → ${top.map((p) => p.citation).join(' | ')}`).toBeDefined();
      expect(hit!.citation).toMatch(cite);
      expect(hit!.sourceId).toBe(source.id);
    }
    const termination = (await base.search('terminate the agreement notice', { all: true })).passages[0]!;
    expect(termination.headings).toEqual(['Master Services Agreement', 'Termination']);
  });

  it('re-indexes only an edited file and removes a deleted file’s passages', async () => {
    const dir = tempDir('rein-kb-');
    await writeCorpus(dir);
    const { base } = make();
    const source = await base.addSource({ path: dir }, 'user', false);
    await base.ingest();
    const before = new Map((await base.store.listFiles(source.id)).map((f) => [path.basename(f.path), f]));
    const handbookChunks = await base.store.fileChunks(before.get('handbook.pdf')!.id);

    // An unchanged pass reads nothing and embeds nothing.
    let mark = ollama.requests.length;
    await base.ingest();
    expect(embedInputs(mark)).toEqual([]);

    // Edit one section of the runbook: only the new passage is embedded; the rest keep their vectors.
    fs.writeFileSync(path.join(dir, 'runbook.md'), RUNBOOK.replace('Renew them with the certbot timer.', 'Renew them with the certbot timer, then reload nginx.'));
    mark = ollama.requests.length;
    await base.ingestPaths(source.id, [path.join(dir, 'runbook.md')]);
    const embedded = embedInputs(mark);
    expect(embedded).toHaveLength(1);
    expect(embedded[0]).toContain('reload nginx');
    expect((await base.store.fileChunks(before.get('handbook.pdf')!.id)).map((c) => c.id)).toEqual(handbookChunks.map((c) => c.id));
    expect((await base.search('reload nginx after renewing certificates', { all: true })).passages[0]!.relativePath).toBe('runbook.md');

    // Delete the contract: its passages are gone.
    fs.rmSync(path.join(dir, 'contract.docx'));
    await base.ingest(source.id);
    const after = await base.store.listFiles(source.id);
    expect(after.map((f) => path.basename(f.path))).not.toContain('contract.docx');
    const hits = (await base.search('terminate the agreement with ninety days notice', { all: true })).passages;
    expect(hits.every((p) => p.relativePath !== 'contract.docx')).toBe(true);
  });

  it('reports each bad file with its reason and still indexes the good ones', async () => {
    const dir = tempDir('rein-kb-');
    await writeCorpus(dir);
    writeBrokenFiles(dir);
    const { base } = make('knowledge: { max_file_mb: 0.02 }');
    const source = await base.addSource({ path: dir }, 'user', false);
    const [progress] = await base.ingest();
    const files = new Map((await base.store.listFiles(source.id)).map((f) => [path.basename(f.path), f]));
    expect(files.get('locked.pdf')).toMatchObject({ state: 'failed', reason: expect.stringContaining('encrypted PDF') });
    expect(files.get('corrupt.pdf')).toMatchObject({ state: 'failed', reason: expect.stringContaining('corrupt or unsupported PDF') });
    expect(files.get('broken.docx')).toMatchObject({ state: 'failed', reason: expect.stringContaining('corrupt DOCX') });
    expect(files.get('blob.dat')).toMatchObject({ state: 'skipped', reason: expect.stringContaining('binary file') });
    expect(files.get('photo.png')).toMatchObject({ state: 'skipped', reason: 'binary file type' });
    expect(files.get('huge.log')).toMatchObject({ state: 'skipped', reason: expect.stringContaining('0.02 MB cap (knowledge.max_file_mb)') });
    expect(files.has('outside.txt')).toBe(false);
    const reasons = progress!.errors.map((e) => `${path.basename(e.file)}: ${e.reason}`);
    expect(reasons).toContainEqual(expect.stringMatching(/^loop: symlink loop/));
    expect(reasons).toContainEqual(expect.stringMatching(/^outside\.txt: symlink to .* outside the source folder/));
    expect(progress).toMatchObject({ indexed: 7, failed: 3 });
    expect((await base.search('paid parental leave', { all: true })).passages[0]!.citation).toBe('handbook.pdf, p. 2');
  });

  it('reads office formats through officeparser (an ODT it generated from Markdown), with their headings', async () => {
    const dir = tempDir('rein-kb-');
    const markdown = path.join(tempDir('rein-kb-src-'), 'travel.md');
    fs.writeFileSync(markdown, '# Travel policy\n\nTrain is preferred for trips under four hours.\n\n## Hotels\n\nHotels up to 150 euros per night.\n');
    fs.writeFileSync(path.join(dir, 'travel.odt'), (await convert(markdown, 'odt')).value as Uint8Array);
    const { base } = make();
    await base.addSource({ path: dir }, 'user', false);
    expect((await base.ingest())[0]).toMatchObject({ indexed: 1, failed: 0 });
    const [hit] = (await base.search('hotel price per night', { all: true })).passages;
    expect(hit).toMatchObject({ relativePath: 'travel.odt', headings: ['Travel policy', 'Hotels'], text: 'Hotels up to 150 euros per night.' });
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable file fails with "permission denied" (not as root)', async () => {
    const dir = tempDir('rein-kb-');
    fs.writeFileSync(path.join(dir, 'ok.md'), '# Ok\n\nreadable text\n');
    fs.writeFileSync(path.join(dir, 'locked.md'), '# Locked\n\nsecret\n');
    fs.chmodSync(path.join(dir, 'locked.md'), 0o000);
    const { base } = make();
    const source = await base.addSource({ path: dir }, 'user', false);
    expect((await base.ingest())[0]).toMatchObject({ indexed: 1, failed: 1 });
    expect(await base.store.getFile(source.id, path.join(dir, 'locked.md'))).toMatchObject({ state: 'failed', reason: 'permission denied' });
  });

  it('a file deleted between scan and read is dropped without an error', async () => {
    const dir = tempDir('rein-kb-');
    fs.writeFileSync(path.join(dir, 'a.md'), '# A\n\nalpha text\n');
    const { base } = make();
    const source = await base.addSource({ path: dir }, 'user', false);
    await base.ingest();
    fs.rmSync(path.join(dir, 'a.md'));
    const progress = await base.ingestPaths(source.id, [path.join(dir, 'a.md'), path.join(dir, 'never-existed.md')]);
    expect(progress).toMatchObject({ failed: 0, errors: [] });
    expect(await base.store.listFiles(source.id)).toEqual([]);
  });

  it('continues an interrupted ingestion: the file left pending is indexed, finished ones are not read again', async () => {
    const dir = tempDir('rein-kb-');
    await writeCorpus(dir);
    const first = make();
    const source = await first.base.addSource({ path: dir }, 'user', false);
    await first.base.ingest();
    // As if the process died while parsing the runbook: its row says pending (set before parsing).
    const runbook = path.join(dir, 'runbook.md');
    const stat = fs.statSync(runbook);
    await first.base.store.setFileState(source.id, { path: runbook, size: stat.size, mtimeMs: stat.mtimeMs, state: 'pending' });
    await first.base.store.replaceChunks((await first.base.store.getFile(source.id, runbook))!.id, 'partial', []);
    await first.base.store.setFileState(source.id, { path: runbook, size: stat.size, mtimeMs: stat.mtimeMs, state: 'pending' });
    await first.base.close();
    await first.base.store.close();
    open.length = 0;

    const again = new KnowledgeBase(new SqliteKnowledgeStore(first.config.memory.path), first.config.knowledge, createEmbedder(first.config, 'nomic-embed-text'));
    open.push(again);
    const mark = ollama.requests.length;
    await again.ingest();
    expect(await again.store.getFile(source.id, runbook)).toMatchObject({ state: 'indexed', chunks: 3 });
    const embedded = embedInputs(mark);
    expect(embedded).toHaveLength(3);
    expect(embedded.every((text) => text.startsWith('Operations runbook'))).toBe(true);
    expect((await again.search('restart the ingest worker', { all: true })).passages[0]!.relativePath).toBe('runbook.md');
  });

  it('without an embedding model, indexes for text search and says so', async () => {
    const dir = tempDir('rein-kb-');
    await writeCorpus(dir);
    const { base } = make('memory: { embed_model: absent-model }', false);
    await base.addSource({ path: dir }, 'user', false);
    const [progress] = await base.ingest();
    expect(progress!.embedUnavailable).toBe('no embedding model configured');
    const result = await base.search('paid parental leave weeks', { all: true });
    expect(result).toMatchObject({ mode: 'text', unavailable: 'no embedding model configured' });
    expect(result.passages[0]!.citation).toBe('handbook.pdf, p. 2');
  });

  it('sources attached to a conversation are visible only there; files outside sources are not readable', async () => {
    const shared = tempDir('rein-kb-');
    const privateDir = tempDir('rein-kb-');
    fs.writeFileSync(path.join(shared, 'shared.md'), '# Shared\n\nThe shared plan mentions the aurora project.\n');
    fs.writeFileSync(path.join(privateDir, 'secret.md'), '# Secret\n\nThe aurora project budget is confidential.\n');
    const { base } = make();
    await base.addSource({ path: shared }, 'user', false);
    await base.addSource({ path: privateDir, conversationId: 'conv-1' }, 'user', false);
    await base.ingest();
    const files = async (scope: { conversationId?: string }) => (await base.search('aurora project', scope)).passages.map((p) => p.relativePath).sort();
    expect(await files({})).toEqual(['shared.md']);
    expect(await files({ conversationId: 'conv-1' })).toEqual(['secret.md', 'shared.md']);
    await expect(base.resolveFile(path.join(privateDir, 'secret.md'), {})).rejects.toThrow(/outside the folders granted/);
    await expect(base.resolveFile('/etc/hostname', {})).rejects.toThrow(/outside the folders granted/);
    expect((await base.resolveFile('secret.md', { conversationId: 'conv-1' })).path).toBe(path.join(privateDir, 'secret.md'));
  });
});
