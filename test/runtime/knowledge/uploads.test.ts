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

describe('upload names and partial files', () => {
  const bytes = (name: string) => Buffer.byteLength(name, 'utf8');

  it('shortens a name over 255 bytes up front, at a character boundary, keeping the extension', () => {
    const cjk = `${'文'.repeat(120)}.pdf`; // 364 bytes
    const short = safeFileName(cjk);
    expect(bytes(short)).toBeLessThanOrEqual(200);
    expect(short).toMatch(/^文+\.pdf$/);
    const emoji = `${'👍🏽'.repeat(40)}.md`; // graphemes of two code points, each a surrogate pair
    const cut = safeFileName(emoji);
    expect(bytes(cut)).toBeLessThanOrEqual(200);
    expect(cut).toMatch(/^(👍🏽)+\.md$/u);
    expect(cut.isWellFormed()).toBe(true);
    expect(safeFileName(`a\uD83D.md`)).toBe('a\uFFFD.md');
  });

  it('strips a trailing dot or space', () => {
    expect(safeFileName('notes.md. ')).toBe('notes.md');
    expect(safeFileName('report .txt...')).toBe('report .txt');
    expect(safeFileName(' . ')).toBe('document');
  });

  it('a long or surrogate-split name is stored, and no .part file stays behind', async () => {
    const ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL] });
    const config = testConfig('', ollama.url);
    const runtime = new Runtime({ config, retry: { retries: 0 } });
    await runtime.start();
    const api = createRuntimeApi(runtime);
    try {
      const call = async (method: string, ...args: unknown[]) => {
        const result = await callApi(api, method, args);
        if (!result.ok) throw new Error(result.error.message);
        return result.value;
      };
      const folder = path.join(config.dataDir, 'attachments', 'conv-long');
      for (const name of [`${'ü'.repeat(200)}.md`, `${'😀'.repeat(100)}\uD83D.md`, `${'x'.repeat(300)}.md`]) {
        const content = Buffer.from('# Long\n\nA name too long for the file system.\n');
        const ticket = (await call('knowledge.upload', { conversationId: 'conv-long', name, size: content.length })) as { uploadId: string; name: string };
        expect(bytes(ticket.name)).toBeLessThanOrEqual(255);
        await call('knowledge.uploadChunk', ticket.uploadId, content.toString('base64'));
        const view = (await call('knowledge.uploadFinish', ticket.uploadId)) as { path: string };
        expect(fs.readFileSync(view.path, 'utf8')).toContain('too long');
      }
      expect(fs.readdirSync(folder).filter((f) => f.endsWith('.part'))).toEqual([]);
      expect(fs.readdirSync(folder)).toHaveLength(3);
    } finally {
      await runtime.close();
      await ollama.close();
    }
  });

  it('a .part file left by a crash is removed when knowledge starts', async () => {
    const ollama = await ScriptedOllama.start({ models: [DEFAULT_MODEL] });
    const config = testConfig('', ollama.url);
    const folder = path.join(config.dataDir, 'attachments', 'conv-crash');
    fs.mkdirSync(folder, { recursive: true });
    const leftover = path.join(folder, '.0b6f1a2e-3c4d-4e5f-8a9b-0c1d2e3f4a5b.part');
    fs.writeFileSync(leftover, 'half an upload');
    fs.writeFileSync(path.join(folder, 'kept.md'), '# kept\n');
    const runtime = new Runtime({ config, retry: { retries: 0 } });
    await runtime.start();
    try {
      expect(fs.existsSync(leftover)).toBe(false);
      expect(fs.readdirSync(folder)).toEqual(['kept.md']);
    } finally {
      await runtime.close();
      await ollama.close();
    }
  });
});
