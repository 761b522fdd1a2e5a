import type { SystemEvent } from '../../common/index.ts';
import { Runtime, type ReinConfig } from '../../runtime/index.ts';
import type { Command } from '../command.ts';
import { ExitCode, exitCodeFor } from '../exit-codes.ts';
import { styleFor, type CliIo, type Style } from '../io.ts';
import { createRenderer } from '../render.ts';

export const run: Command = {
  name: 'run',
  synopsis: 'run "<goal>" [--json]',
  summary: 'run the agent on a goal and stream the answer (--json: one event per line)',
  options: { json: { type: 'boolean', default: false } },
  run: async ({ args, options, io, config }) => {
    const goal = args.join(' ').trim();
    if (!goal) {
      io.stderr.write('rein: rein run needs a goal, e.g. rein run "summarize README.md"\n');
      return ExitCode.usage;
    }
    return runCommand(config(), { goal, json: options.json === true }, io);
  },
};

export interface RunCommandOptions {
  goal: string;
  json: boolean;
}

export async function runCommand(config: ReinConfig, options: RunCommandOptions, io: CliIo): Promise<number> {
  const runtime = new Runtime({ config });
  const style = styleFor(io.stderr, io.env);
  const printJson = (event: unknown) => io.stdout.write(`${JSON.stringify(event)}\n`);
  const render = options.json ? printJson : createRenderer(io, style);
  runtime.onSystemEvent((event) => {
    if (options.json) printJson(event);
    else io.stderr.write(`${systemLine(event, style)}\n`);
  });
  const run = runtime.startRun(options.goal);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(ExitCode.interrupted); // second Ctrl-C: leave now
    interrupted = true;
    run.abort('interrupted (Ctrl-C)');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    for await (const event of run.events) render(event);
    const result = await run.result;
    return exitCodeFor(result.status, interrupted);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await runtime.close();
  }
}

function systemLine(event: SystemEvent, style: Style): string {
  if (event.type === 'system.notice') return (event.level === 'error' ? style.red : style.yellow)(`⚠ ${event.source}: ${event.message}`);
  const issues = event.issues.map((i) => `\n  ${i.file}: ${i.message}`).join('');
  const changes = [...event.added.map((n) => `+${n}`), ...event.changed.map((n) => `~${n}`), ...event.removed.map((n) => `-${n}`)].join(' ');
  return (issues ? style.yellow : style.dim)(`skills reloaded (${event.skills})${changes ? `: ${changes}` : ''}${issues}`);
}
