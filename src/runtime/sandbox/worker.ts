// Entry of a sandbox worker process (started by WorkerPool with --no-node-snapshot): runs executions in
// isolated-vm isolates for its parent over the IPC channel. Anything that goes badly wrong here — a crashed
// isolate, a V8 abort, memory past the watchdog's cap — ends this process only; the parent replaces it.
import type ivm from 'isolated-vm';
import { ExecutionFailure, messageOf, runInIsolate } from './isolate-run.ts';
import { ConsoleCapture } from './output.ts';
import type { ToParent, ToWorker } from './protocol.ts';
import { linkToParent } from '../workers/index.ts';

const MB = 1024 * 1024;
const WATCHDOG_MS = 10;
/** Room above the worker's idle size and 2 × memory_mb before the watchdog ends it (code, stacks, malloc slack). */
const WATCHDOG_HEADROOM_MB = 64;

const parent = linkToParent<ToParent>('sandbox worker');
const send = parent.send;
const fatal = (message: Extract<ToParent, { type: 'fatal' }>) => parent.fatal(message);

const ivmModule: typeof ivm = (await import('isolated-vm')).default;
const baselineRss = process.memoryUsage.rss();

interface Running {
  controller: AbortController;
  tools: Map<number, (json: string) => void>;
}
const running = new Map<number, Running>();
let nextCallId = 0;

process.on('message', (message: ToWorker) => {
  if (message.type === 'run') void execute(message);
  else if (message.type === 'tool-result') {
    const run = running.get(message.id);
    const resolve = run?.tools.get(message.callId);
    run?.tools.delete(message.callId);
    resolve?.(message.json);
  } else if (message.type === 'abort') {
    running.get(message.id)?.controller.abort(new Error(message.message));
  }
});

async function execute(message: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  const { id, limits } = message;
  const run: Running = { controller: new AbortController(), tools: new Map() };
  running.set(id, run);
  const output = new ConsoleCapture(limits.maxOutputChars);
  const capBytes = baselineRss + (2 * limits.memoryMb + WATCHDOG_HEADROOM_MB) * MB;
  const watchdog = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > capBytes) {
      fatal({ type: 'fatal', kind: 'memory', message: `the code used too much memory: the sandbox worker reached ${Math.round(rss / MB)} MB (sandbox.memory_mb = ${limits.memoryMb}; WebAssembly and buffers count too)` });
    }
  }, WATCHDOG_MS);
  try {
    const result = await runInIsolate(ivmModule, {
      code: message.code,
      inputJson: message.inputJson,
      toolNames: message.toolNames,
      limits,
      signal: run.controller.signal,
      log: (level, line) => {
        const wasFull = output.truncated;
        const full = output.write(level, line);
        if (!wasFull) send({ type: 'log', id, level, line });
        return full;
      },
      callTool: (name, argsJson) =>
        new Promise<string>((resolve) => {
          const callId = ++nextCallId;
          run.tools.set(callId, resolve);
          send({ type: 'tool', id, callId, name, argsJson });
        }),
      onCatastrophic: (text) => fatal({ type: 'fatal', kind: 'crash', message: `the sandbox crashed: ${text}`, catastrophic: text }),
    });
    send({ type: 'done', id, rssMb: rssMb(), ok: true, raw: result.raw, cpuMs: result.cpuMs });
  } catch (error) {
    const failure = error instanceof ExecutionFailure ? error : new ExecutionFailure('crash', `the sandbox failed: ${messageOf(error)}`);
    send({ type: 'done', id, rssMb: rssMb(), ok: false, kind: failure.kind, message: failure.message });
  } finally {
    clearInterval(watchdog);
    running.delete(id);
  }
}

function rssMb(): number {
  return Math.round(process.memoryUsage.rss() / MB);
}

send({ type: 'ready', rssMb: Math.round(baselineRss / MB) });
