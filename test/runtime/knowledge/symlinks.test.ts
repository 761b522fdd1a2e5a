// Grants hold against symlinks that appear later: a granted file replaced by a symlink to a file outside is
// refused by read_document; a new symlink leading outside is not indexed by the watcher, so search_knowledge never
// returns its text; and swapping a file and a symlink in a loop while reading never yields the outside file (the
// opened descriptor is what is checked). `knowledge.symlinks: refuse` reads no symlink at all.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeApi } from '../../../src/common/index.ts';
import { createRuntimeApi, Runtime } from '../../../src/runtime/index.ts';
import { KnowledgeBase, SqliteKnowledgeStore } from '../../../src/runtime/knowledge/index.ts';
import { knowledgeTools } from '../../../src/runtime/knowledge/tools.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../../support/scripted-ollama.ts';

const SECRET = 'The launch code is OUTSIDE-SECRET-4711.';
const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

let outside: string;
beforeAll(() => {
  outside = path.join(tempDir('rein-outside-'), 'secret.txt');
  fs.writeFileSync(outside, `${SECRET}\n`);
});

/** read_document as the agent gets it, on a base of its own. */
function reader(base: KnowledgeBase) {
  const tool = knowledgeTools({ base, scopeOf: () => ({}), searchLimit: 5 }).find((t) => t.name === 'read_document')!;
  return (file: string) => tool.run({ file }, { runId: 'r', callId: 'c', signal: new AbortController().signal, invoke: () => Promise.reject(new Error('no')) }).then(String);
}

describe('knowledge grants and symlinks (a runtime with its watcher)', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let api: RuntimeApi;
  let granted: string;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL] });
    granted = tempDir('rein-granted-');
    fs.writeFileSync(path.join(granted, 'doc.txt'), 'Zebras graze in the granted folder.\n');
    runtime = new Runtime({ config: testConfig(`knowledge:\n  paths: [${JSON.stringify(granted)}]\n`, ollama.url), retry: { retries: 0 } });
    const ingested = new Promise<void>((resolve) => runtime.onSystemEvent((e) => e.type === 'knowledge.progress' && e.state === 'done' && resolve()));
    await runtime.start();
    await ingested;
    api = createRuntimeApi(runtime);
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await ollama?.close();
  });

  it('read_document refuses a granted file replaced by a symlink to a file outside', async () => {
    const doc = path.join(granted, 'doc.txt');
    fs.rmSync(doc);
    fs.symlinkSync(outside, doc);
    ollama.script([
      { toolCalls: [{ name: 'read_document', arguments: { file: 'doc.txt' } }] },
      { toolCalls: [{ name: 'read_document', arguments: { file: doc } }] },
      { content: 'done' },
    ]);
    const run = runtime.startRun('read doc.txt');
    await run.result;
    const results = run.events.events().filter((e) => e.type === 'tool.result') as { ok: boolean; output?: string; error?: string }[];
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({ ok: false, error: expect.stringMatching(/leads outside the granted folder/) });
      expect(JSON.stringify(result)).not.toContain('OUTSIDE-SECRET');
    }
  });

  it('the watcher does not index a new symlink leading outside; search_knowledge never returns its text', async () => {
    fs.symlinkSync(outside, path.join(granted, 'link.txt'));
    fs.writeFileSync(path.join(granted, 'fresh.txt'), 'Kiwis arrive after the link.\n');
    await poll(async () => (await api.knowledge.search('kiwis arrive')).passages.length).toBeGreaterThan(0);
    // The link may come in another watcher batch than the file (under load): wait until it was looked at.
    const [source] = await api.knowledge.sources();
    const link = async () => (await api.knowledge.files(source!.id)).find((f) => f.path.endsWith('link.txt'));
    await poll(link).toBeDefined();
    expect(await link()).toMatchObject({ state: 'skipped', reason: expect.stringMatching(/leads outside the granted folder/) });
    const secretSearch = async () => {
      expect((await api.knowledge.search('launch code OUTSIDE-SECRET-4711')).passages).toEqual([]);
      ollama.script([{ toolCalls: [{ name: 'search_knowledge', arguments: { query: 'launch code' } }] }, { content: 'done' }]);
      const run = runtime.startRun('what is the launch code?');
      await run.result;
      const result = run.events.events().find((e) => e.type === 'tool.result');
      expect(result).toMatchObject({ name: 'search_knowledge', ok: true });
      expect(JSON.stringify(result)).not.toContain('OUTSIDE-SECRET');
    };
    await secretSearch();
    await api.knowledge.reindex();
    await poll(async () => (await api.knowledge.sources())[0]!.progress?.state).toBe('done');
    await secretSearch();
  });
});

describe('knowledge grants and symlinks (read_document directly)', () => {
  const open: KnowledgeBase[] = [];
  afterAll(async () => {
    for (const base of open.splice(0)) {
      await base.close();
      await base.store.close();
    }
  });
  const baseFor = async (folder: string, yaml = '') => {
    const config = testConfig(yaml, 'http://127.0.0.1:9');
    const base = new KnowledgeBase(new SqliteKnowledgeStore(config.memory.path), config.knowledge, undefined);
    open.push(base);
    await base.addSource({ path: folder }, 'user', false);
    return base;
  };

  it('a file and a symlink swapped in a loop while reading (100+ times): zero reads of the outside file', async () => {
    const folder = tempDir('rein-race-');
    const target = path.join(folder, 'race.txt');
    fs.writeFileSync(target, 'inside text\n');
    const read = reader(await baseFor(folder));
    // Another process swaps race.txt between a regular file and a symlink to the outside file, atomically, non-stop.
    const swapper: ChildProcess = spawn(process.execPath, ['-e', `
      const fs = require('node:fs');
      const [target, outside] = process.argv.slice(1);
      for (let i = 0; ; i++) {
        const tmp = target + '.tmp';
        fs.rmSync(tmp, { force: true });
        if (i % 2) fs.symlinkSync(outside, tmp); else fs.writeFileSync(tmp, 'inside text\\n');
        fs.renameSync(tmp, target);
      }`, target, outside], { stdio: 'ignore' });
    try {
      // Start reading once the swapper is really swapping (a Node process takes a while to start).
      const deadline = Date.now() + 20_000;
      while (!fs.lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      let inside = 0;
      let refused = 0;
      let leaked = 0;
      let reads = 0;
      // At least 100 reads, and on until the race has been hit (a refusal), at most 5,000.
      for (; reads < 100 || (refused === 0 && reads < 5_000); reads++) {
        try {
          const text = await read('race.txt');
          if (text.includes('OUTSIDE-SECRET')) leaked++;
          else if (text.includes('inside text')) inside++;
        } catch {
          refused++;
        }
      }
      expect(leaked).toBe(0);
      expect(inside + refused).toBe(reads);
      expect(refused).toBeGreaterThan(0); // the race really happened
    } finally {
      swapper.kill('SIGKILL');
    }
  }, 60_000);

  it('links leading inside the folder are followed by default; knowledge.symlinks: refuse reads none', async () => {
    const folder = tempDir('rein-links-');
    fs.writeFileSync(path.join(folder, 'real.txt'), 'real text inside\n');
    fs.symlinkSync(path.join(folder, 'real.txt'), path.join(folder, 'alias.txt'));
    expect(await reader(await baseFor(folder))('alias.txt')).toContain('real text inside');
    const strict = await baseFor(folder, 'knowledge:\n  symlinks: refuse\n');
    await expect(reader(strict)('alias.txt')).rejects.toThrow(/symlink \(knowledge\.symlinks: refuse\)/);
    expect(await reader(strict)('real.txt')).toContain('real text inside');
    const [progress] = await strict.ingest();
    expect(progress!.errors).toContainEqual({ file: path.join(folder, 'alias.txt'), reason: 'symlink, not followed (knowledge.symlinks: refuse)' });
  });
});
