import type { ParseArgsOptionsConfig } from 'node:util';
import type { ReinConfig } from '../runtime/index.ts';
import type { CliIo } from './io.ts';

export interface CommandContext {
  /** Positionals after the command name (sub-commands, ids, goals). */
  args: string[];
  /** Parsed options: the global ones plus the command's own. */
  options: Record<string, string | boolean | (string | boolean)[] | undefined>;
  io: CliIo;
  /** Loads rein.yaml (with --config / --model applied); throws ConfigError. */
  config(): ReinConfig;
}

/** What a command does: its module (src/cli/commands/<name>.ts) is imported only when the command runs. */
export interface CommandRunner {
  run(context: CommandContext): Promise<number>;
}

/** A command as `rein --help` and the argument parser see it: light, so help and usage errors load no runtime. */
export interface Command {
  name: string;
  /** One line for `rein --help`, with its argument shape: `run "<goal>"`. */
  synopsis: string;
  summary: string;
  /** Options only this command takes (the global ones are always accepted). */
  options?: ParseArgsOptionsConfig;
  /** Imports the command's module. */
  load(): Promise<CommandRunner>;
}
