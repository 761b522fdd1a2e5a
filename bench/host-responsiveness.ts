// Host responsiveness under hostile documents: a real `rein serve` host ingests a granted folder of hostile
// documents (a pathological Markdown heading, a DOCX whose XML expands to 400 MB, a 20,000-page PDF, a PDF whose
// Flate stream expands to 600 MB) while the same files are uploaded through its HTTP API; /health is probed
// without pause until every file has ended. Prints probe latency p50 / p99 / max and how long the files took.
// Usage: node bench/host-responsiveness.ts   (BENCH_RUNS=3)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { KnowledgeSourceView } from '../src/common/index.ts';
import { tempDir } from '../test/support/fixtures.ts';
import { writeHostileDocuments } from '../test/support/hostile-documents.ts';
import { ScriptedOllama } from '../test/support/scripted-ollama.ts';
import { waitForHost } from '../test/host/host-process.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BIN = path.resolve(import.meta.dirname, '../bin/rein.mjs');
const ollama = await ScriptedOllama.start();
const docs = await writeHostileDocuments(path.join(tempDir('rein-bench-hostile-'), 'granted'));
const folder = path.dirname(docs.markdown);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)]!;

for (let run = 1; run <= RUNS; run++) {
  const home = tempDir('rein-bench-host-');
  fs.writeFileSync(path.join(home, 'rein.yaml'), `knowledge:\n  paths: [${JSON.stringify(folder)}]\n`);
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: home, env: { ...process.env, REIN_HOME: home, OLLAMA_HOST: ollama.url }, stdio: 'ignore' });
  const info = await waitForHost(home);
  const call = async <T>(method: string, ...args: unknown[]): Promise<T> => {
    const response = await fetch(`${info.url}/api/${method}`, { method: 'POST', headers: { authorization: `Bearer ${info.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ args }) });
    const body = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
    if (!body.ok) throw new Error(`${method}: ${body.error?.message}`);
    return body.value as T;
  };
  const latencies: number[] = [];
  let probing = true;
  const probe = (async () => {
    while (probing) {
      const at = performance.now();
      await (await fetch(`${info.url}/health`)).body?.cancel();
      latencies.push(performance.now() - at);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  })();
  for (const file of Object.values(docs)) {
    const bytes = fs.readFileSync(file);
    const ticket = await call<{ uploadId: string; chunkBytes: number }>('knowledge.upload', { conversationId: 'bench', name: path.basename(file), size: bytes.length });
    for (let at = 0; at < bytes.length; at += ticket.chunkBytes) await call('knowledge.uploadChunk', ticket.uploadId, bytes.subarray(at, at + ticket.chunkBytes).toString('base64'));
    await call('knowledge.uploadFinish', ticket.uploadId);
  }
  for (;;) {
    const sources = await call<KnowledgeSourceView[]>('knowledge.sources');
    if (sources.length === 5 && sources.every((s) => s.progress?.state === 'done' && s.files.pending === 0)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const elapsed = performance.now() - started;
  probing = false;
  await probe;
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const sorted = [...latencies].sort((a, b) => a - b);
  console.log(`run ${run}: ${sorted.length} health probes — p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms; 8 hostile files ended in ${(elapsed / 1000).toFixed(1)} s (host start included)`);
}
await ollama.close();
