import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { ReinConfig } from '../runtime/index.ts';
import { COMMANDS } from './commands/index.ts';
import { ExitCode } from './exit-codes.ts';
import { processIo, type CliIo } from './io.ts';
import { quietOnClosedPipe, rawStream, terminalSafe } from './safe-output.ts';

const VERSION = '0.1.0';

const GLOBAL_OPTIONS: ParseArgsOptionsConfig = {
  config: { type: 'string', short: 'c' },
  model: { type: 'string', short: 'm' },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'v', default: false },
};

/** Each command's synopsis, then its summary wrapped below it (one aligned column would be ~220 characters wide). */
function usage(columns = 100): string {
  const commands = COMMANDS.map((c) => `  ${c.synopsis}\n${wrap(c.summary, Math.min(Math.max(columns, 60), 120), '      ')}`).join('\n');
  return `Usage: rein <command> [options]

Commands:
${commands}

Options:
  --config FILE    use this rein.yaml (default: ./rein.yaml, else <data dir>/rein.yaml, else defaults)
  --model NAME     use this model: a name, or <provider>:<name> (anthropic:claude-sonnet-4-5,
                   openai_compatible:qwen2.5-7b, embedded:/path/model.gguf, or an id under providers:)
  -h, --help       show this help
  -v, --version    show the version

Exit codes: 0 completed, 1 failed, 2 bad usage or invalid config, 3 stopped by a harness guard, 130 interrupted.`;
}

export async function main(argv: string[], given: CliIo = processIo()): Promise<number> {
  if (given.stdout === process.stdout) quietOnClosedPipe();
  const io = terminalSafe(given); // no command prints another party's control sequences raw
  const name = argv.find((arg) => !arg.startsWith('-'));
  const command = COMMANDS.find((c) => c.name === name);
  if (name && !command) return usageError(io, `unknown command "${name}"`);
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { ...GLOBAL_OPTIONS, ...command?.options } });
  } catch (error) {
    return usageError(io, (error as Error).message);
  }
  const { values, positionals } = parsed;
  if (values.version) return print(io, VERSION);
  const columns = (io.stdout as { columns?: number }).columns;
  if (!command) return print(io, usage(columns), values.help ? ExitCode.ok : ExitCode.usage);
  if (values.help) return print(io, `Usage: rein ${command.synopsis}\n  ${command.summary}\n\n${usage(columns)}`);

  // Only now the runtime and the command's own module load (help and usage errors above stay light).
  const [{ ConfigError, ModelEgressError, TrustStore, UntrustedFolderError, dataDir, loadConfig, resolveModelRef }, runner] = await Promise.all([import('../runtime/index.ts'), command.load()]);
  const config = (): ReinConfig => {
    const loaded = loadConfig({ file: values.config as string | undefined, cwd: io.cwd, env: io.env });
    const model = values.model as string | undefined;
    return model ? { ...loaded, model: resolveModelRef(loaded, model) } : loaded;
  };
  // async: a command that loads the config before its first await (rein doctor) rejects instead of throwing, so the
  // trust question below is asked for every command alike.
  const runCommand = async () => runner.run({ args: positionals.slice(1), options: values, io, config });
  try {
    return await runCommand().catch(async (error: unknown) => {
      // An untrusted project folder: ask once on a terminal (then run again), refuse when headless.
      if (!(error instanceof UntrustedFolderError) || !interactive(io)) throw error;
      const { askToTrust } = await import('./trust-prompt.ts');
      if (!(await askToTrust(error.project, process.stdin, rawStream(io.stderr)))) throw error;
      new TrustStore(dataDir(io.env)).trust(error.project.dir);
      return runCommand();
    });
  } catch (error) {
    if (error instanceof UntrustedFolderError) {
      io.stderr.write(`rein: ${error.message}\n`);
      return ExitCode.usage;
    }
    if (error instanceof ConfigError) {
      io.stderr.write(`${error.message}\n`);
      if (error instanceof ModelEgressError) await auditRefusal(dataDir(io.env), error);
      return ExitCode.usage;
    }
    // Anything else (an unreadable database, a bad file): one line, no stack trace unless REIN_DEBUG is set.
    if (io.env.REIN_DEBUG) io.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
    io.stderr.write(`rein ${command.name}: ${oneLine(error)}\n`);
    return ExitCode.failed;
  }
}

function interactive(io: CliIo): boolean {
  return Boolean(process.stdin.isTTY) && Boolean(io.stderr.isTTY);
}

function print(io: CliIo, text: string, code: number = ExitCode.ok): number {
  (code === ExitCode.ok ? io.stdout : io.stderr).write(`${text}\n`);
  return code;
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]!.trim() || (error instanceof Error ? error.name : 'unknown error');
}

function wrap(text: string, columns: number, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && indent.length + line.length + 1 + word.length > columns) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`rein: ${message}\nRun \`rein --help\` for usage.\n`);
  return ExitCode.usage;
}

/** A model refused by policy.model_egress is an attempted egress: it goes into the audit log of the data dir. */
async function auditRefusal(home: string, error: { issues: { path: string; message: string }[]; file: string | undefined }): Promise<void> {
  try {
    const { openAuditLog } = await import('../runtime/index.ts');
    const log = openAuditLog({ dataDir: home, secrets: [] });
    log.record('model.egress.refused', { file: error.file ?? null, issues: error.issues });
    log.close();
  } catch {
    // the refusal itself was said on stderr; an unwritable audit log must not hide it
  }
}
