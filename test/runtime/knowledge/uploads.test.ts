// Documents uploaded through the API (a browser gives no file paths): chunks over callApi as a transport sends
// them, stored under <dataDir>/attachments with safe, de-duplicated names (0700/0600), attached to the
// conversation and searchable; unsupported types and sizes over knowledge.max_file_mb refused before any byte.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeApi } from '../../../src/common/index.ts';
import { callApi, createRuntimeApi, Runtime } from '../../../src/runtime/index.ts';
import { safeFileName } from '../../../src/runtime/knowledge/index.ts';
import { testConfig } from '../../support/fixtures.ts';
import { DEFAULT_MODEL, ScriptedOllama } from '../../support/scripted-ollama.ts';

const poll = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000, interval: 100 });

describe('knowledge uploads', () => {
  let ollama: ScriptedOllama;
  let runtime: Runtime;
  let api: RuntimeApi;
  let root: string;

  const call = async (method: string, ...args: unknown[]) => {
    const result = await callApi(api, method, args);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
    return result.value;
  };
  const upload = async (conversationId: string, name: string, content: Buffer | string, chunk?: number) => {
    const bytes = Buffer.from(content);
    const ticket = (await call('knowledge.upload', { conversationId, name, size: bytes.length })) as { uploadId: string; chunkBytes: number };
    const step = chunk ?? ticket.chunkBytes;
    for (let at = 0; at < bytes.length; at += step) await call('knowledge.uploadChunk', ticket.uploadId, bytes.subarray(at, at + step).toString('base64'));
    return (await call('knowledge.uploadFinish', ticket.uploadId)) as { id: number; path: string; conversationId: string };
  };

  beforeAll(async () => {
    ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL] });
    const config = testConfig('knowledge:\n  max_file_mb: 1\n', ollama.url);
    root = path.join(config.dataDir, 'attachments');
    runtime = new Runtime({ config, retry: { retries: 0 } });
    await runtime.start();
    api = createRuntimeApi(runtime);
  }, 60_000);
  afterAll(async () => {
    await runtime?.close();
    await ollama?.close();
  });

  it('sanitizes names: no folders, no .., no control characters, never empty', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('a/b.md')).toBe('b.md');
    expect(safeFileName('a\\b.md')).toBe('b.md');
    expect(safeFileName('no\u0000te\u001b\u007fs.md')).toBe('notes.md');
    expect(safeFileName('..')).toBe('document');
    expect(safeFileName('../')).toBe('document');
    expect(safeFileName('.hidden.md')).toBe('hidden.md');
  });

  it('stores an upload in chunks under the data folder (0700/0600), attaches it, and Remove deletes the copy', async () => {
    const text = `# Zephyr\n\nThe zephyr budget is ninety kroner.\n${'filler line\n'.repeat(100)}`;
    const view = await upload('conv-u', '../../etc/zephyr.md', text, 100);
    const stored = path.join(root, 'conv-u', 'zephyr.md');
    expect(view).toMatchObject({ path: stored, kind: 'file', conversationId: 'conv-u' });
    expect(fs.readFileSync(stored, 'utf8')).toBe(text);
    expect(fs.statSync(stored).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(root, 'conv-u')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(root).mode & 0o777).toBe(0o700);
    expect(fs.readdirSync(path.join(root, 'conv-u'))).toEqual(['zephyr.md']);
    await poll(async () => (await api.knowledge.search('zephyr budget kroner')).passages[0]?.citation.file).toBe(stored);

    const again = await upload('conv-u', 'a/zephyr.md', '# Again\n');
    expect(again.path).toBe(path.join(root, 'conv-u', 'zephyr (2).md'));

    await call('knowledge.remove', view.id);
    expect(fs.existsSync(stored)).toBe(false);
    await call('knowledge.remove', again.id);
    expect(fs.existsSync(path.join(root, 'conv-u'))).toBe(false);
    expect((await api.knowledge.sources()).filter((s) => s.conversationId === 'conv-u')).toEqual([]);
  });

  it('refuses unsupported types and sizes over knowledge.max_file_mb before any byte, naming the limit', async () => {
    await expect(call('knowledge.upload', { conversationId: 'conv-x', name: 'photo.png', size: 10 })).rejects.toThrow(/photo\.png: unsupported file type — Rein reads PDF/);
    await expect(call('knowledge.upload', { conversationId: 'conv-x', name: 'big.md', size: 2 * 1024 * 1024 })).rejects.toThrow('big.md: 2.0 MB is larger than the 1 MB limit (knowledge.max_file_mb)');
    expect(fs.existsSync(path.join(root, 'conv-x'))).toBe(false);
  });

  it('refuses more bytes than announced, unknown uploads and non-base64 chunks', async () => {
    const ticket = (await call('knowledge.upload', { conversationId: 'conv-y', name: 'x.md', size: 3 })) as { uploadId: string };
    await expect(call('knowledge.uploadChunk', ticket.uploadId, Buffer.from('four').toString('base64'))).rejects.toThrow('x.md: more bytes than announced (3)');
    expect(fs.readdirSync(path.join(root, 'conv-y'))).toEqual([]);
    await expect(call('knowledge.uploadFinish', ticket.uploadId)).rejects.toThrow(/no upload/);
    await expect(call('knowledge.uploadChunk', 'x', 'not base64!')).rejects.toThrow(/bad argument/);
  });
});
