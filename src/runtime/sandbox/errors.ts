import { ReinError } from '../base/index.ts';

/** Why an execution ended without a value. */
export type SandboxFailure = 'thrown' | 'cpu-timeout' | 'wall-timeout' | 'memory' | 'aborted' | 'crash' | 'invalid-result';

/** A sandbox execution failed; `kind` says how, the message is meant for the model and the user. */
export class SandboxError extends ReinError {
  readonly kind: SandboxFailure;
  readonly console: string;
  constructor(kind: SandboxFailure, message: string, console = '') {
    super(console ? `${message}\nconsole output:\n${console}` : message);
    this.kind = kind;
    this.console = console;
  }
}
