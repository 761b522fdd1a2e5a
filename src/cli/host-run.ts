// `rein run` attached to the running host of the data dir: the run lives in the host (one database writer, one
// audit chain), this terminal streams its events. Its approvals show in every client (desktop card, browser,
// `rein approvals`); at a terminal they are also asked here, and the first answer wins. If the host dies, the
// terminal waits for a restarted host (the desktop shell restarts it), which resumes the run, and follows it there.
import type { ApiEvent, RunEvent, RunStatus } from '../common/index.ts';
import { ApiError } from '../common/api/errors.ts';
import { connectHost, type HostConnection } from '../host/client.ts';
import { findHost } from '../host/discovery.ts';
import type { ReinConfig } from '../runtime/index.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { styleFor, type CliIo } from './io.ts';
import { createRenderer } from './render.ts';
import type { RunCommandOptions } from './commands/run.ts';
import { createTtyAsker } from './tty-asker.ts';
import { rawStream } from './safe-output.ts';

/** How long to wait for a restarted host, and then for it to resume the run. */
const RECONNECT_MS = 60_000;
const RESUME_WAIT_MS = 30_000;

export async function runOnHost(first: HostConnection, config: ReinConfig, options: RunCommandOptions, io: CliIo): Promise<number> {
  let connection = first;
  const interactive = !options.json && Boolean(process.stdin.isTTY) && Boolean(io.stderr.isTTY);
  const style = styleFor(io.stderr, io.env);
  const render = options.json ? (event: unknown) => io.stdout.write(`${JSON.stringify(event)}\n`) : createRenderer(io, style, { verbose: options.verbose === true, prompting: interactive });
  const ask = interactive ? createTtyAsker(process.stdin, rawStream(io.stderr)) : undefined;
  const prompts = new Map<string, AbortController>();
  let runId: string | undefined;
  let lastSeq = -1;
  let finish: (status: RunStatus) => void = () => undefined;
  const finished = new Promise<RunStatus>((resolve) => (finish = resolve));

  const handle = (event: ApiEvent) => {
    if (isRunEvent(event)) {
      if (event.runId !== runId || event.seq <= lastSeq) return; // another run, or already shown before a reconnect
      lastSeq = event.seq;
      render(event); // an approval nobody is asked for here says where to answer it
      if (event.type === 'run.finished') finish(event.status);
    } else if (event.type === 'question.asked' && event.question.runId === runId && ask && !prompts.has(event.question.id)) {
      const controller = new AbortController();
      prompts.set(event.question.id, controller);
      ask(event.question, controller.signal).then(
        (answer) => connection.api.questions.answer(event.question.id, answer).catch(() => undefined), // answered elsewhere first
        () => undefined,
      );
    } else if (event.type === 'question.resolved') {
      prompts.get(event.id)?.abort();
      prompts.delete(event.id);
    }
  };
  /** Events are held back until `release`: while the run id is unknown, or while catching up after a reconnect. */
  const subscribe = (target: HostConnection) => {
    let held: ApiEvent[] | undefined = [];
    const unsubscribe = target.api.onEvent((event) => (held ? held.push(event) : handle(event)));
    const release = () => {
      for (const event of held ?? []) handle(event);
      held = undefined;
    };
    return { unsubscribe, release };
  };

  let subscription = subscribe(connection);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now (the host stops the run)
    interrupted = true;
    if (runId) void connection.api.runs.abort(runId).catch(() => undefined);
  };
  try {
    try {
      const { api } = connection;
      await warnIfConfigDiffers(api, config, io);
      runId = options.resume ? (await api.runs.resume(options.resume)).runId : (await api.runs.start({ goal: options.goal, ...(options.continueFrom ? { continueFrom: options.continueFrom } : {}) })).runId;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      io.stderr.write(`rein: ${error.message}\n`);
      return error.code === 'not_found' || error.code === 'bad_request' ? ExitCode.usage : ExitCode.failed;
    }
    subscription.release();
    if (!options.json) io.stderr.write(style.dim(`rein · running in the host (pid ${connection.info.pid}); Ctrl-C stops it\n`));
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    for (;;) {
      const outcome = await Promise.race([finished, connection.closed.then(() => 'lost' as const)]);
      if (outcome !== 'lost') return exitCodeFor(outcome, interrupted);
      const lostPid = connection.info.pid;
      io.stderr.write(`rein: lost the host (pid ${lostPid}); waiting up to ${RECONNECT_MS / 1000} s for it to restart and resume run ${runId}\n`);
      subscription.unsubscribe();
      const next = await reconnect(connection.info.dataDir, lostPid);
      if (!next) {
        io.stderr.write(`rein: no host came back; run ${runId} resumes when one starts (rein serve), or continue it with rein run --resume ${runId}\n`);
        return ExitCode.failed;
      }
      connection = next;
      subscription = subscribe(connection);
      io.stderr.write(style.dim(`rein · reconnected to the host (pid ${connection.info.pid})\n`));
      if (!(await waitUntilResumed(connection, runId))) {
        io.stderr.write(`rein: the new host did not resume run ${runId}; continue it with rein run --resume ${runId}\n`);
        return ExitCode.failed;
      }
      for (const event of await connection.api.runs.events(runId).catch(() => [])) handle(event);
      subscription.release();
    }
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    subscription.unsubscribe();
    for (const prompt of prompts.values()) prompt.abort();
    connection.close();
  }
}

/** The host runs with its own config: say so when this command would have used another model or file. */
async function warnIfConfigDiffers(api: HostConnection['api'], config: ReinConfig, io: CliIo): Promise<void> {
  const host = await api.config.get().catch(() => undefined);
  // A config that names no model (provider auto) would have used whatever the machine offers: no difference to note.
  if (!host) return;
  const sameModel = !config.model.name || (host.model.name === config.model.name && host.model.provider === config.model.provider);
  if (sameModel && host.file === config.file) return;
  io.stderr.write(
    `rein: note: the run goes to the host of ${host.dataDir}, which uses model ${host.model.name} (config ${host.file ?? 'defaults'}); --model, --config and ./rein.yaml apply only when no host runs\n`,
  );
}

/** A healthy host of `dataDir` other than the dead one, connected; undefined after RECONNECT_MS. */
async function reconnect(dataDir: string, deadPid: number): Promise<HostConnection | undefined> {
  const deadline = Date.now() + RECONNECT_MS;
  while (Date.now() < deadline) {
    const info = await findHost(dataDir).catch(() => undefined); // a host.json that cannot be trusted is no host
    if (info && info.pid !== deadPid) {
      try {
        return await connectHost(info);
      } catch {
        // it is going away again; keep waiting
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return undefined;
}

/** The host runs (or has finished) `runId`: a restarted host resumes its runs shortly after it starts listening. */
async function waitUntilResumed(connection: HostConnection, runId: string): Promise<boolean> {
  const deadline = Date.now() + RESUME_WAIT_MS;
  while (Date.now() < deadline) {
    const run = (await connection.api.runs.list().catch(() => [])).find((summary) => summary.runId === runId);
    if (run && run.status !== 'interrupted') return true;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return false;
}

function isRunEvent(event: ApiEvent): event is RunEvent {
  return 'runId' in event && 'seq' in event;
}
