import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type ReinConfig } from '../runtime/index.ts';
import { doctorCommand } from './commands/doctor.ts';
import { runCommand } from './commands/run.ts';
import { ExitCode } from './exit-codes.ts';
import { processIo, type CliIo } from './io.ts';

const USAGE = `Usage: rein <command> [options]

Commands:
  run "<goal>"     run the agent on a goal and stream the answer
  doctor           check config, Ollama and the model, and print fixes

Options:
  --config FILE    use this rein.yaml (default: ./rein.yaml if present, else defaults)
  --model NAME     override model.name
  --json           (run) print every event as one JSON object per line
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 completed, 1 failed, 2 bad usage or invalid config, 3 stopped by a harness guard, 130 interrupted.`;

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        model: { type: 'string', short: 'm' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return print(io, '0.1.0');
  const [command, ...rest] = positionals;
  if (values.help || !command) return print(io, USAGE, command || values.help ? ExitCode.ok : ExitCode.usage);

  let config: ReinConfig;
  try {
    config = loadConfig({ file: values.config, cwd: io.cwd, env: io.env });
    if (values.model) config = { ...config, model: { ...config.model, name: values.model } };
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      return ExitCode.usage;
    }
    throw error;
  }

  switch (command) {
    case 'run': {
      const goal = rest.join(' ').trim();
      if (!goal) return usageError(io, 'rein run needs a goal, e.g. rein run "summarize README.md"');
      return runCommand(config, { goal, json: values.json }, io);
    }
    case 'doctor':
      return doctorCommand(config, io);
    default:
      return usageError(io, `unknown command "${command}"`);
  }
}

function print(io: CliIo, text: string, code: number = ExitCode.ok): number {
  (code === ExitCode.ok ? io.stdout : io.stderr).write(`${text}\n`);
  return code;
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`rein: ${message}\nRun \`rein --help\` for usage.\n`);
  return ExitCode.usage;
}
