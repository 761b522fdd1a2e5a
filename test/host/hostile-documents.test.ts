// The host stays responsive while hostile documents are ingested from a granted folder AND uploaded through its
// HTTP API: /health answers within 1 s at the 99th percentile (before, a pathological Markdown heading froze it for
// good, a DOCX bomb killed it, a 20,000-page or flate-bomb PDF stalled it for minutes). Each file ends failed with
// its reason; after a restart none of them is parsed again.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KnowledgeFileView, KnowledgeSourceView } from '../../src/common/index.ts';
import { tempDir } from '../support/fixtures.ts';
import { writeHostileDocuments } from '../support/hostile-documents.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { startHostProcess, waitFor, type HostProcess } from './host-process.ts';

describe('a host ingesting hostile documents', () => {
  let ollama: ScriptedOllama;
  let host: HostProcess | undefined;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(async () => {
    await host?.stop();
    await ollama?.close();
  });

  it('answers /health within 1 s (p99) while they are ingested and uploaded; none is parsed again after a restart', async () => {
    const home = tempDir('rein-host-hostile-');
    const folder = path.join(tempDir('rein-hostile-docs-'), 'granted');
    const docs = await writeHostileDocuments(folder);
    fs.writeFileSync(path.join(home, 'rein.yaml'), `knowledge:\n  paths: [${JSON.stringify(folder)}]\n`);
    host = await startHostProcess(home, ollama.url);
    const { url } = host.info;
    const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
      const { url, token } = host!.info;
      const response = await fetch(`${url}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
      const body = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
      return body.value as T;
    };

    // Health, probed without pause from now until every file has ended.
    const latencies: number[] = [];
    let probing = true;
    const probe = (async () => {
      while (probing) {
        const started = performance.now();
        const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(60_000) });
        expect(response.status).toBe(200);
        await response.body?.cancel();
        latencies.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();

    for (const file of Object.values(docs)) {
      const bytes = fs.readFileSync(file);
      const ticket = await call<{ uploadId: string; chunkBytes: number }>('knowledge.upload', { conversationId: 'conv-hostile', name: path.basename(file), size: bytes.length });
      for (let at = 0; at < bytes.length; at += ticket.chunkBytes) await call('knowledge.uploadChunk', ticket.uploadId, bytes.subarray(at, at + ticket.chunkBytes).toString('base64'));
      await call('knowledge.uploadFinish', ticket.uploadId);
    }
    const ended = async () => {
      const sources = await call<KnowledgeSourceView[]>('knowledge.sources');
      const finished = sources.length === 5 && sources.every((s) => s.progress?.state === 'done' && s.files.pending === 0 && s.files.indexed + s.files.failed + s.files.skipped > 0);
      return finished && sources;
    };
    const sources = await waitFor(ended, 'every hostile document to end', 600_000);
    probing = false;
    await probe;

    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    expect(latencies.length).toBeGreaterThan(20);
    expect(p99).toBeLessThan(1000);

    const files = async () => (await Promise.all(sources.map((s) => call<KnowledgeFileView[]>('knowledge.files', s.id)))).flat();
    const before = await files();
    const reasons = Object.fromEntries(before.map((f) => [`${f.path.includes('attachments') ? 'uploaded ' : ''}${path.basename(f.path)}`, `${f.state}: ${f.reason ?? ''}`]));
    for (const prefix of ['', 'uploaded ']) {
      expect(reasons[`${prefix}heading.md`]).toBe('indexed: ');
      expect(reasons[`${prefix}bomb.docx`]).toMatch(/^failed: unpacks to more than 200 MB \(knowledge\.parse\.max_expanded_mb\)/);
      expect(reasons[`${prefix}pages.pdf`]).toMatch(/^failed: 20,000 pages, more than 5,000 \(knowledge\.parse\.max_pages\)/);
      expect(reasons[`${prefix}flate.pdf`]).toMatch(/^failed: unpacks to more than 200 MB/);
    }

    // A restart: every file keeps its state, none is parsed again (no file's record is touched).
    await host.stop();
    host = await startHostProcess(home, ollama.url);
    await waitFor(async () => {
      const now = await call<KnowledgeSourceView[]>('knowledge.sources');
      return now.length === 5 && now.every((s) => s.progress?.state === 'done');
    }, 'the restarted host to pass over its sources', 120_000);
    const after = await files();
    expect(after.map((f) => [f.path, f.state, f.reason, f.updatedAt])).toEqual(before.map((f) => [f.path, f.state, f.reason, f.updatedAt]));
  }, 900_000);
});
