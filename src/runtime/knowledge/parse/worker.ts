// Entry of a document parser process (started by DocumentParser): parses one file at a time for the host over
// IPC. The parsing itself runs in a thread of this process with a V8 heap cap, so this main thread stays free to
// watch it: resident memory past the cap, or CPU time past the file's limit, ends the job — and the process, so
// the next file gets a fresh one. Whatever a document does here, the host is not touched.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import { linkToParent } from '../../workers/index.ts';
import type { ParseJob, ParseReply, FromParser, ToParser } from './protocol.ts';

const MB = 1024 * 1024;
const WATCHDOG_MS = 50;
/** Resident memory allowed above the heap cap: the file's bytes, unpacked buffers, code. */
const HEADROOM_MB = 256;

if (isMainThread) await serveParent();
else await serveThread();

async function serveParent(): Promise<void> {
  const parent = linkToParent<FromParser>('document parser');
  const baseline = process.memoryUsage.rss();
  let thread: Worker | undefined;

  const run = async ({ id, job }: ToParser) => {
    thread ??= new Worker(new URL(import.meta.url), { resourceLimits: { maxOldGenerationSizeMb: job.limits.memoryMb, stackSizeMb: 8 } });
    const { reply, ending } = await watch(thread, job, baseline);
    if (ending) {
      // The thread may still be running (a regex, a parser loop): nothing of it is reused.
      parent.send({ type: 'done', id, reply, ending }, () => parent.die());
      return;
    }
    parent.send({ type: 'done', id, reply, ending });
  };
  process.on('message', (message: ToParser) => {
    if (message.type === 'parse') void run(message);
  });
  parent.send({ type: 'ready' });
}

/** Runs the job in the thread under the memory and CPU watchdog. */
function watch(thread: Worker, job: ParseJob, baseline: number): Promise<{ reply: ParseReply; ending: boolean }> {
  const { limits } = job;
  const rssCap = baseline + (limits.memoryMb + HEADROOM_MB) * MB;
  const cpuStart = process.cpuUsage();
  return new Promise((resolve) => {
    const settle = (reply: ParseReply, ending: boolean) => {
      clearInterval(watchdog);
      thread.off('message', onMessage).off('error', onError).off('exit', onExit);
      resolve({ reply, ending });
    };
    const watchdog = setInterval(() => {
      const rss = process.memoryUsage.rss();
      if (rss > rssCap) return settle({ ok: false, kind: 'memory', message: `parsing needed more than ${limits.memoryMb + HEADROOM_MB} MB of memory (knowledge.parse.memory_mb = ${limits.memoryMb}); not tried again until the file changes` }, true);
      const cpu = process.cpuUsage(cpuStart);
      if ((cpu.user + cpu.system) / 1e6 > limits.cpuSeconds) settle({ ok: false, kind: 'timeout', message: `parsing took more than ${limits.cpuSeconds} s of CPU time (knowledge.parse.timeout_s); not tried again until the file changes` }, true);
    }, WATCHDOG_MS);
    const onMessage = (reply: ParseReply) => settle(reply, false);
    const onError = (error: Error & { code?: string }) =>
      settle(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { ok: false, kind: 'memory', message: `parsing ran out of memory (knowledge.parse.memory_mb = ${limits.memoryMb}); not tried again until the file changes` }
          : { ok: false, kind: 'crash', message: `the parser failed: ${error.message}` },
        true,
      );
    const onExit = (code: number) => settle({ ok: false, kind: 'crash', message: `the parser thread ended (code ${code})` }, true);
    thread.on('message', onMessage).on('error', onError).on('exit', onExit);
    const transfer = job.bytes.byteOffset === 0 && job.bytes.byteLength === job.bytes.buffer.byteLength ? [job.bytes.buffer as ArrayBuffer] : [];
    thread.postMessage(job, transfer);
  });
}

async function serveThread(): Promise<void> {
  const { runParseJob } = await import('./parse-job.ts');
  parentPort!.on('message', (job: ParseJob) => {
    void runParseJob(job).then((reply) => parentPort!.postMessage(reply));
  });
}
