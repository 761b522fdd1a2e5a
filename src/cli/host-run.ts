// `rein run` attached to the running host of the data dir: the run lives in the host (one database writer, one
// audit chain), this terminal streams its events. Its approvals show in every client (desktop card, browser,
// `rein approvals`); at a terminal they are also asked here, and the first answer wins.
import type { ApiEvent, RunEvent, RunStatus } from '../common/index.ts';
import { ApiError } from '../common/api/errors.ts';
import type { HostConnection } from '../host/client.ts';
import { ExitCode, exitCodeFor } from './exit-codes.ts';
import { styleFor, type CliIo } from './io.ts';
import { createRenderer } from './render.ts';
import type { RunCommandOptions } from './commands/run.ts';
import { createTtyAsker } from './tty-asker.ts';

export async function runOnHost(connection: HostConnection, options: RunCommandOptions, io: CliIo): Promise<number> {
  const { api, info } = connection;
  const interactive = !options.json && Boolean(process.stdin.isTTY) && Boolean(io.stderr.isTTY);
  const style = styleFor(io.stderr, io.env);
  const render = options.json ? (event: unknown) => io.stdout.write(`${JSON.stringify(event)}\n`) : createRenderer(io, style);
  const ask = interactive ? createTtyAsker(process.stdin, io.stderr) : undefined;
  const prompts = new Map<string, AbortController>();
  let runId: string | undefined;
  const early: ApiEvent[] = [];
  let finish: (status: RunStatus) => void = () => undefined;
  const finished = new Promise<RunStatus>((resolve) => (finish = resolve));

  const handle = (event: ApiEvent) => {
    if (isRunEvent(event)) {
      if (event.runId !== runId) return;
      render(event);
      if (event.type === 'approval.requested' && !ask && !options.json) {
        io.stderr.write(style.yellow(`  waiting for approval ${event.id}: answer it in the Rein app or with \`rein approvals allow|deny ${event.id}\`\n`));
      }
      if (event.type === 'run.finished') finish(event.status);
    } else if (event.type === 'question.asked' && event.question.runId === runId && ask) {
      const controller = new AbortController();
      prompts.set(event.question.id, controller);
      ask(event.question, controller.signal).then(
        (answer) => api.questions.answer(event.question.id, answer).catch(() => undefined), // answered elsewhere first
        () => undefined,
      );
    } else if (event.type === 'question.resolved') {
      prompts.get(event.id)?.abort();
      prompts.delete(event.id);
    }
  };
  const unsubscribe = api.onEvent((event) => (runId ? handle(event) : early.push(event)));
  try {
    try {
      runId = options.resume ? (await api.runs.resume(options.resume)).runId : (await api.runs.start({ goal: options.goal, ...(options.continueFrom ? { continueFrom: options.continueFrom } : {}) })).runId;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      io.stderr.write(`rein: ${error.message}\n`);
      return error.code === 'not_found' || error.code === 'bad_request' ? ExitCode.usage : ExitCode.failed;
    }
    for (const event of early.splice(0)) handle(event);
    if (!options.json) io.stderr.write(style.dim(`rein · run ${runId} on the host (pid ${info.pid}); Ctrl-C stops it\n`));
    let interrupted = false;
    const onSignal = () => {
      if (interrupted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now (the host stops the run)
      interrupted = true;
      void api.runs.abort(runId!).catch(() => undefined);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const outcome = await Promise.race([finished, connection.closed.then(() => 'lost' as const)]);
      if (outcome === 'lost') {
        io.stderr.write(`rein: lost the connection to the host (pid ${info.pid}); run ${runId} resumes when the host starts again (rein sessions show ${runId})\n`);
        return ExitCode.failed;
      }
      return exitCodeFor(outcome, interrupted);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } finally {
    unsubscribe();
    for (const prompt of prompts.values()) prompt.abort();
    connection.close();
  }
}

function isRunEvent(event: ApiEvent): event is RunEvent {
  return 'runId' in event && 'seq' in event;
}
