// Knowledge inside a runtime: sources from rein.yaml ingested in the background (progress events), the scripted
// model calling search_knowledge and read_document through the guarded path (audited), conversation scoping,
// the knowledge.* API section, and the folder watcher re-indexing a new file.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/common/index.ts';
import { parseCitations } from '../../../src/common/index.ts';
import { createRuntimeApi, openAuditLog, Runtime } from '../../../src/runtime/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody } from '../../support/scripted-ollama.ts';
import { writeCorpus } from './corpus.ts';

const EMBED = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embedding: 'words' as const, embeddingDimensions: 64 };
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe('knowledge extension', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let dir: string;
  const events: SystemEvent[] = [];

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED] });
    dir = tempDir('rein-kx-');
    await writeCorpus(dir);
    const config = testConfig(`knowledge:\n  paths: [${JSON.stringify(dir)}]\n`, ollama.url);
    runtime = new Runtime({ config, retry: { retries: 0 } });
    runtime.onSystemEvent((event) => events.push(event));
    const ingested = new Promise<void>((resolve) => runtime.onSystemEvent((e) => e.type === 'knowledge.progress' && e.state === 'done' && resolve()));
    await runtime.start();
    await ingested;
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await ollama?.close();
  });

  it('ingests rein.yaml sources in the background with progress events', () => {
    const progress = events.filter((e) => e.type === 'knowledge.progress');
    expect(progress[0]).toMatchObject({ state: 'running', done: 0, total: 7, path: dir }); // later running reports are throttled
    expect(progress.at(-1)).toMatchObject({ state: 'done', done: 7, total: 7, indexed: 7, failed: 0 });
  });

  it('the model searches with search_knowledge and its answer carries the citation; the call is audited', async () => {
    ollama.script((request: ChatRequestBody) => {
      const tool = request.messages.findLast((m) => m.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'weeks of paid parental leave' } }] };
      const first = parseCitations(tool.content)[0]!;
      return { content: `Employees get sixteen weeks of paid parental leave [${first.n}].` };
    });
    const run = runtime.startRun('How much parental leave do we get?');
    const result = await run.result;
    expect(result.answer).toBe('Employees get sixteen weeks of paid parental leave [1].');
    expect(ollama.chatRequests.at(-1)!.messages.find((m) => m.role === 'user')!.content).toContain(`The user's own documents are searchable with search_knowledge (${dir})`);
    const finished = run.events.events().find((e) => e.type === 'tool.result');
    expect(finished).toMatchObject({ name: 'search_knowledge', ok: true });
    const citations = parseCitations((finished as { output: string }).output);
    expect(citations[0]).toMatchObject({ n: 1, label: 'handbook.pdf, p. 2', file: path.join(dir, 'handbook.pdf'), page: 2 });
    const audit = openAuditLog(runtime.config);
    expect([...audit.entries()].some((e) => e.kind === 'tool.call' && (e.data as { tool?: string }).tool === 'search_knowledge' && e.runId === run.runId)).toBe(true);
    audit.close();
  });

  it('read_document reads a page range of a granted file and refuses files outside the sources', async () => {
    ollama.script([
      { toolCalls: [{ name: 'read_document', arguments: { file: 'handbook.pdf', page: 3 } }] },
      { toolCalls: [{ name: 'read_document', arguments: { file: '/etc/hostname' } }] },
      { content: 'done' },
    ]);
    const run = runtime.startRun('read the expenses page');
    await run.result;
    const [page, outside] = run.events.events().filter((e) => e.type === 'tool.result') as { ok: boolean; output?: string; error?: string }[];
    expect(page).toMatchObject({ ok: true });
    expect(page!.output).toContain('(p. 3 of 3)');
    expect(page!.output).toContain('receipts submitted within thirty days');
    expect(outside).toMatchObject({ ok: false, error: expect.stringContaining('outside the folders granted to knowledge') });
  });

  it('serves knowledge.* through the API, and files attached to a conversation are searchable only in it', async () => {
    const api = createRuntimeApi(runtime);
    const [source] = await api.knowledge.sources();
    expect(source).toMatchObject({ path: dir, origin: 'config', files: { indexed: 7, failed: 0 } });
    const found = await api.knowledge.search('ninety days written notice');
    expect(found.mode).toBe('hybrid');
    expect(found.passages[0]!.citation).toMatchObject({ label: 'contract.docx', headings: ['Master Services Agreement', 'Termination'] });
    expect((await api.knowledge.files(source!.id)).map((f) => path.basename(f.path))).toContain('runbook.md');

    const attached = tempDir('rein-kx-attach-');
    fs.writeFileSync(path.join(attached, 'offer.md'), '# Offer\n\nThe zephyr offer expires on Friday.\n');
    const [view] = await api.knowledge.attach('conv-9', [path.join(attached, 'offer.md')]);
    expect(view).toMatchObject({ kind: 'file', conversationId: 'conv-9' });
    await poll(async () => (await api.knowledge.search('zephyr offer')).passages.length).toBe(1);
    ollama.script([{ toolCalls: [{ name: 'search_knowledge', arguments: { query: 'zephyr offer' } }] }, { content: 'none' }]);
    const outsider = runtime.startRun('zephyr?');
    await outsider.result;
    expect((outsider.events.events().find((e) => e.type === 'tool.result') as { output: string }).output).not.toContain('offer.md');
    await expect(api.knowledge.remove(9999)).rejects.toMatchObject({ name: 'ApiNotFoundError', message: 'no knowledge source 9999' });
  });

  it('watches folders: a new file is indexed, a renamed one follows its name, a deleted one is gone', async () => {
    const api = createRuntimeApi(runtime);
    const top = async () => (await api.knowledge.search('blue garage visitors parking')).passages[0]?.citation.label;
    fs.writeFileSync(path.join(dir, 'parking.md'), '# Parking\n\nVisitors park in the blue garage on level minus two.\n');
    await poll(top).toBe('parking.md, line 3');
    fs.renameSync(path.join(dir, 'parking.md'), path.join(dir, 'garage.md'));
    await poll(top).toBe('garage.md, line 3');
    fs.rmSync(path.join(dir, 'garage.md'));
    await poll(async () => (await api.knowledge.search('blue garage visitors parking')).passages.some((p) => p.citation.file.endsWith('garage.md'))).toBe(false);
    const [source] = await api.knowledge.sources();
    expect((await api.knowledge.files(source!.id)).map((f) => path.basename(f.path))).not.toContain('garage.md');
  });
});
