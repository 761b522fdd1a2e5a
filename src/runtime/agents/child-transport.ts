// The parent's end of a subagent's stdio: MCP messages over its stdin/stdout, like the SDK's stdio client, plus what
// the spawner needs to report how it ended (exit code or signal) and a larger message limit for model turns.
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { ChildCommand } from './backends.ts';

export interface ChildExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A chat request carries the whole context of a turn: allow more than the SDK's 10 MB per message. */
const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
const STDERR_TAIL = 4000;

export class ChildProcessTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private readonly command: ChildCommand;
  private process: ChildProcess | undefined;
  private readonly buffer = new ReadBuffer({ maxBufferSize: MAX_MESSAGE_BYTES });
  private stderrText = '';
  private settle!: (status: ChildExitStatus) => void;
  /** Resolves when the process has exited (or could not start: code null, signal null). */
  readonly exited = new Promise<ChildExitStatus>((resolve) => (this.settle = resolve));

  constructor(command: ChildCommand) {
    this.command = command;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The last few KB it wrote to stderr. */
  get stderr(): string {
    return this.stderrText;
  }

  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.command.command, this.command.args, { env: this.command.env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
      this.process = child;
      child.once('error', (error) => {
        this.settle({ code: null, signal: null });
        reject(error);
        this.onerror?.(error);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => this.settle({ code, signal }));
      child.once('close', () => this.onclose?.());
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stderr?.on('data', (chunk: Buffer) => (this.stderrText = (this.stderrText + chunk.toString()).slice(-STDERR_TAIL)));
      child.stdout?.on('data', (chunk: Buffer) => {
        try {
          this.buffer.append(chunk);
          for (let message = this.buffer.readMessage(); message; message = this.buffer.readMessage()) this.onmessage?.(message);
        } catch (error) {
          this.onerror?.(error as Error);
        }
      });
    });
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.process?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error('the subagent process is not running'));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Closes its stdin (a subagent ends when it closes); `stop()` ends it for good. */
  async close(): Promise<void> {
    try {
      this.process?.stdin?.end();
    } catch {
      // already closed
    }
  }

  /** Sends a signal if it still runs. */
  kill(signal: NodeJS.Signals): void {
    if (this.process && this.process.exitCode === null && this.process.signalCode === null) this.process.kill(signal);
  }

  /** Whether it has exited within `ms`. */
  async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }
}
