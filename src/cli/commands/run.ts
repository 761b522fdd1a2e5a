import { ApiArgumentError, ApiNotFoundError, MemoryNotFoundError, ReinError, Runtime, runsSection, type ReinConfig, type RunHandle } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode, exitCodeFor } from '../exit-codes.ts';
import { styleFor, type CliIo } from '../io.ts';
import { createRenderer, systemEventLine } from '../render.ts';
import { createTtyAsker } from '../tty-asker.ts';
import { rawStream } from '../safe-output.ts';

export const run: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const goal = args.join(' ').trim();
    const resume = typeof options.resume === 'string' ? options.resume : undefined;
    const continueFrom = typeof options.continue === 'string' ? options.continue : undefined;
    if (!goal === !resume || (resume && continueFrom)) {
      io.stderr.write(
        'rein: rein run needs a goal, e.g. rein run "summarize README.md" (follow-up: --continue <run id> "<goal>"), or --resume <session id> without a goal\n',
      );
      return ExitCode.usage;
    }
    return runCommand(config(), { goal, json: options.json === true, verbose: options.verbose === true, ...(resume ? { resume } : {}), ...(continueFrom ? { continueFrom } : {}) }, io);
  },
};

export interface RunCommandOptions {
  goal: string;
  json: boolean;
  /** Developer detail in the rendering (tool ranking, recalled notes, skills, retry causes). */
  verbose?: boolean;
  /** Continue this session instead of starting one. */
  resume?: string;
  /** Start a follow-up in the conversation of this finished run. */
  continueFrom?: string;
}

export async function runCommand(config: ReinConfig, options: RunCommandOptions, io: CliIo): Promise<number> {
  const host = await attachToHost(config, io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') return (await import('../host-run.ts')).runOnHost(host, config, options, io);
  // Approvals are asked inline only when a person is at the terminal; otherwise nobody can answer → deny.
  const interactive = !options.json && Boolean(process.stdin.isTTY) && Boolean(io.stderr.isTTY);
  const runtime = new Runtime({ config, ...(interactive ? { ask: createTtyAsker(process.stdin, rawStream(io.stderr)) } : {}) });
  const style = styleFor(io.stderr, io.env);
  const printJson = (event: unknown) => io.stdout.write(`${JSON.stringify(event)}\n`);
  const render = options.json ? printJson : createRenderer(io, style, { verbose: options.verbose === true, prompting: interactive });
  runtime.onSystemEvent((event) => {
    if (options.json) printJson(event);
    else {
      const line = systemEventLine(event, style);
      if (line) io.stderr.write(`${line}\n`);
    }
  });
  let run: RunHandle;
  try {
    if (interactive && !(await (await import('../model-prompt.ts')).offerModelDownload(runtime, process.stdin, io))) {
      await runtime.close();
      return ExitCode.failed;
    }
    run = options.resume ? await runtime.resumeRun(options.resume) : await start(runtime, options);
  } catch (error) {
    await runtime.close();
    if (!(error instanceof ReinError)) throw error;
    io.stderr.write(`rein: ${error.message}\n`);
    const badInput = error instanceof MemoryNotFoundError || error instanceof ApiNotFoundError || error instanceof ApiArgumentError;
    return badInput ? ExitCode.usage : ExitCode.failed;
  }
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now
    interrupted = true;
    run.abort('interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // Rendered as each event is emitted (not on a later tick), so a tool's line is out before its approval prompt.
    for (const event of run.events.events()) render(event);
    const stop = run.events.subscribe(render);
    const result = await run.result.finally(stop);
    return exitCodeFor(result.status, interrupted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runtime.close();
  }
}

/** A new run, or a follow-up that the runs API builds from the earlier run's conversation. */
async function start(runtime: Runtime, options: RunCommandOptions): Promise<RunHandle> {
  if (!options.continueFrom) return runtime.startRun(options.goal);
  await runtime.start();
  const { runId } = await runsSection(runtime).start({ goal: options.goal, continueFrom: options.continueFrom });
  return runtime.getRun(runId)!;
}
