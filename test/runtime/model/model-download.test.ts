// Downloads for the embedded engine against a local server serving a GGUF: progress with speed and ETA, an
// interrupted download resumed with a Range request, a checksum mismatch deleting the file, the models API.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullProgressEvent } from '../../../src/common/index.ts';
import { Runtime, modelsSection, parseConfig } from '../../../src/runtime/index.ts';
import { EmbeddedProvider, ModelStore, catalogModel, recommendedModel, type PullProgress } from '../../../src/runtime/model/index.ts';
import { ModelFileServer, TINY_GGUF, sha256, tinyCatalog } from '../../support/model-file-server.ts';
import { tempDir } from '../../support/fixtures.ts';

const content = fs.readFileSync(TINY_GGUF);
const FILE_PATH = '/test/Tiny-GGUF/resolve/main/tiny.gguf';

function provider(dataDir: string, env: NodeJS.ProcessEnv): EmbeddedProvider {
  return new EmbeddedProvider({ source: 'model', provider: 'embedded', name: '', base_url: '', flavor: 'auto', temperature: 0 }, { dataDir, env });
}

describe('model downloads', () => {
  let server: ModelFileServer;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    server = await ModelFileServer.start();
    server.serve(FILE_PATH, content);
    env = { REIN_MODEL_DOWNLOAD_BASE: server.url };
  });
  afterAll(() => server.close());

  it('an hf: URI downloads into <data dir>/models with progress (speed, ETA) and ends in a usable file', async () => {
    const dataDir = tempDir();
    const progress: PullProgress[] = [];
    server.bytesPerSecond = 2_000_000; // about a second: progress reports come every 250 ms
    try {
      await provider(dataDir, env).pull('hf:test/Tiny-GGUF/tiny.gguf', (p) => progress.push(p));
    } finally {
      server.bytesPerSecond = 0;
    }
    const target = path.join(dataDir, 'models', 'tiny.gguf');
    expect(sha256(fs.readFileSync(target))).toBe(sha256(content));
    expect(fs.existsSync(`${target}.part`)).toBe(false);
    const moving = progress.filter((p) => p.bytesPerSecond !== undefined);
    expect(moving.length).toBeGreaterThan(1);
    expect(moving.some((p) => p.etaSeconds !== undefined && p.bytesPerSecond! > 0)).toBe(true);
    expect(moving.at(-1)).toMatchObject({ completed: content.length, total: content.length });
    expect(progress.at(-1)).toMatchObject({ status: 'success' });
    expect(new ModelStore(path.join(dataDir, 'models')).list()).toMatchObject([{ name: 'tiny.gguf', sizeBytes: content.length }]);
  });

  it('an interrupted download keeps its .part file and the next pull resumes it with a Range request', async () => {
    const dataDir = tempDir();
    const target = path.join(dataDir, 'models', 'tiny.gguf');
    server.cutAfter = 700_000;
    const before = server.requests.length;
    await expect(provider(dataDir, env).pull('hf:test/Tiny-GGUF/tiny.gguf', () => undefined)).rejects.toThrow(/was cut after .* run the pull again: it resumes/);
    const kept = fs.statSync(`${target}.part`).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(content.length);
    const statuses: string[] = [];
    await provider(dataDir, env).pull('hf:test/Tiny-GGUF/tiny.gguf', (p) => statuses.push(p.status));
    const requests = server.requests.slice(before);
    expect(requests).toHaveLength(2);
    expect(requests[0]!.range).toBeUndefined();
    expect(requests[1]!.range).toBe(`bytes=${kept}-`);
    expect(statuses[0]).toMatch(/^resuming at /);
    expect(sha256(fs.readFileSync(target))).toBe(sha256(content));
  });

  it('a server that ignores Range makes the download start over, still correct', async () => {
    const dataDir = tempDir();
    const target = path.join(dataDir, 'models', 'tiny.gguf');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(`${target}.part`, content.subarray(0, 1000));
    server.ignoreRange = true;
    try {
      await provider(dataDir, env).pull('hf:test/Tiny-GGUF/tiny.gguf', () => undefined);
    } finally {
      server.ignoreRange = false;
    }
    expect(sha256(fs.readFileSync(target))).toBe(sha256(content));
  });

  it('a checksum mismatch deletes the download and says so', async () => {
    const dataDir = tempDir();
    const catalogDir = tempDir();
    const catalog = path.join(catalogDir, 'catalog.json');
    const wrong = '0'.repeat(64);
    fs.writeFileSync(catalog, JSON.stringify([{ name: 'qwen3-4b', title: 'Tiny', uri: 'hf:test/Tiny-GGUF/tiny.gguf', file: 'tiny.gguf', sizeBytes: content.length, sha256: wrong, licence: 'MIT', licenceUrl: '', kind: 'chat' }]));
    const pull = provider(dataDir, { ...env, REIN_MODEL_CATALOG: catalog }).pull('qwen3-4b', () => undefined);
    await expect(pull).rejects.toThrow(`the download of tiny.gguf is corrupt: its SHA-256 is ${sha256(content)}, ${wrong} was expected — the file was deleted; run the pull again`);
    expect(fs.readdirSync(path.join(dataDir, 'models'))).toEqual([]);
  });

  it('an unknown file is a clear 404, and a name that is not a model says what is accepted', async () => {
    const dataDir = tempDir();
    await expect(provider(dataDir, env).pull('hf:test/Tiny-GGUF/missing.gguf', () => undefined)).rejects.toThrow(/HTTP 404 \(no such file: check the name\)/);
    await expect(provider(dataDir, env).pull('llama-from-nowhere', () => undefined)).rejects.toThrow(/unknown model "llama-from-nowhere": use a recommended name \(qwen3-4b, qwen3-8b, nomic-embed-text\), hf:<org>\/<repo>\/<file>\.gguf or an https URL/);
  });

  it('models API: recommended names size, licence and target; pull emits progress events; remove deletes', async () => {
    const dataDir = tempDir();
    const catalog = tinyCatalog(tempDir());
    for (const served of catalog.paths) server.serve(served, catalog.content);
    const previous = { ...process.env };
    Object.assign(process.env, { REIN_MODEL_DOWNLOAD_BASE: server.url, REIN_MODEL_CATALOG: catalog.file, REIN_AUTO_PROBE: 'ollama=http://127.0.0.1:1' });
    const config = parseConfig('', { env: { REIN_HOME: dataDir }, baseDir: dataDir });
    const runtime = new Runtime({ config, trace: false, extensions: [] });
    try {
      const events: PullProgressEvent[] = [];
      const api = modelsSection(runtime, (event) => events.push(event));
      const offer = await api.recommended();
      expect(offer).toMatchObject({ licence: 'MIT', sizeBytes: content.length, present: false });
      expect(offer.target).toBe(path.join(dataDir, 'models', offer.ref === 'qwen3-8b' ? 'tiny-8b.gguf' : 'tiny-4b.gguf'));
      expect(offer.reason).toMatch(/this machine has \d+ GB of memory/);
      await api.pull(offer.ref);
      expect(events.at(-1)).toMatchObject({ type: 'model.pull.progress', name: offer.ref, done: true, status: 'success' });
      expect(fs.existsSync(offer.target)).toBe(true);
      expect((await api.recommended()).present).toBe(true);
      const status = await api.status();
      expect(status).toMatchObject({ provider: 'embedded', model: offer.ref, present: true, contextSource: 'server', tools: false });
      expect(status.contextWindow).toBeGreaterThan(0);
      await api.remove(offer.ref);
      expect(fs.existsSync(offer.target)).toBe(false);
      await expect(api.remove(offer.ref)).rejects.toThrow(/is not downloaded/);
    } finally {
      await runtime.close();
      for (const key of ['REIN_MODEL_DOWNLOAD_BASE', 'REIN_MODEL_CATALOG', 'REIN_AUTO_PROBE']) if (previous[key] === undefined) delete process.env[key];
    }
  });

  it('cancelPull stops a download, keeping what arrived for the next pull', async () => {
    const dataDir = tempDir();
    const config = parseConfig('model: { provider: embedded }', { env: { REIN_HOME: dataDir }, baseDir: dataDir });
    const runtime = new Runtime({ config, trace: false, extensions: [] });
    const previous = process.env.REIN_MODEL_DOWNLOAD_BASE;
    process.env.REIN_MODEL_DOWNLOAD_BASE = server.url;
    server.bytesPerSecond = 400_000;
    try {
      const events: PullProgressEvent[] = [];
      const api = modelsSection(runtime, (event) => events.push(event));
      const pull = api.pull('hf:test/Tiny-GGUF/tiny.gguf');
      await expect.poll(() => events.some((e) => (e.completed ?? 0) > 0), { timeout: 5000 }).toBe(true);
      await api.cancelPull('hf:test/Tiny-GGUF/tiny.gguf');
      await expect(pull).rejects.toThrow(/cancelled/);
      expect(events.at(-1)).toMatchObject({ done: true, status: 'cancelled' });
      expect(fs.statSync(path.join(dataDir, 'models', 'tiny.gguf.part')).size).toBeGreaterThan(0);
    } finally {
      server.bytesPerSecond = 0;
      if (previous === undefined) delete process.env.REIN_MODEL_DOWNLOAD_BASE;
      await runtime.close();
    }
  });
});

describe('the recommendation table (the default users get)', () => {
  it('recommends Qwen3 4B under 16 GB of memory and Qwen3 8B above, from the official Qwen GGUF repositories', () => {
    const GB = 1024 ** 3;
    expect(recommendedModel(8 * GB, {}).model).toMatchObject({ name: 'qwen3-4b', uri: 'hf:Qwen/Qwen3-4B-GGUF/Qwen3-4B-Q4_K_M.gguf', sizeBytes: 2_497_280_256, licence: 'Apache-2.0' });
    expect(recommendedModel(15 * GB, {}).model.name).toBe('qwen3-4b');
    expect(recommendedModel(16 * GB, {}).model).toMatchObject({ name: 'qwen3-8b', uri: 'hf:Qwen/Qwen3-8B-GGUF/Qwen3-8B-Q4_K_M.gguf', sizeBytes: 5_027_783_488 });
    expect(recommendedModel(8 * GB, {}).reason).toBe('this machine has 8 GB of memory: a 4B model at Q4 runs well under 16 GB');
  });

  it('downloads from Hugging Face unless a test points elsewhere; the Ollama name qwen3:4b means the same model', () => {
    const store = new ModelStore('/data/models', {});
    expect(store.resolve('qwen3-4b')?.download?.url).toBe('https://huggingface.co/Qwen/Qwen3-4B-GGUF/resolve/main/Qwen3-4B-Q4_K_M.gguf');
    expect(store.resolve('qwen3:4b')?.path).toBe('/data/models/Qwen3-4B-Q4_K_M.gguf');
    expect(store.resolve('hf:org/repo/sub/file.gguf')).toMatchObject({ path: '/data/models/file.gguf', download: { url: 'https://huggingface.co/org/repo/resolve/main/sub/file.gguf' } });
    expect(store.resolve('https://example.com/models/x.gguf?download=1')).toMatchObject({ path: '/data/models/x.gguf', download: { url: 'https://example.com/models/x.gguf?download=1' } });
    expect(catalogModel('nomic-embed-text', {})?.kind).toBe('embedding');
  });
});
