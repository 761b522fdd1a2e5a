// Every CLI command's output goes through here (main.ts), so no command can print a model-, tool- or server-written
// control sequence raw — erase line, colours, cursor moves, window titles, links — even one that forgot to escape.
// Rein's own styling (io.ts) passes as markers with a per-process random part that text from elsewhere cannot know;
// the markers become the real sequences here, after everything else was made visible.
// A reader that went away (`rein sessions | head -1`) ends the command quietly with exit 0.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { escapeOutput } from '../common/terminal-text.ts';
import type { CliIo } from './io.ts';

const NONCE = randomBytes(8).toString('hex');
const OPEN = '\uE000';
const CLOSE = '\uE001';
const MARKER = new RegExp(`${OPEN}${NONCE}(\\d{1,2}m|EL)${CLOSE}`, 'g');

/** Rein's own control sequences, as markers: an SGR code (`31` → `\e[31m`) or `EL` (`\r\e[2K`, redraw a line). */
export function controlMarker(code: string): string {
  return `${OPEN}${NONCE}${code}${CLOSE}`;
}

export class SafeStream extends Writable {
  readonly isTTY: boolean | undefined;
  readonly columns: number | undefined;
  readonly raw: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

  constructor(raw: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }) {
    super({ decodeStrings: false });
    this.raw = raw;
    this.isTTY = raw.isTTY;
    this.columns = raw.columns;
  }

  override _write(chunk: unknown, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // Passed on at once (no buffering here), so output written just before the process exits is not lost.
    this.raw.write(typeof chunk === 'string' ? safeText(chunk) : (chunk as Uint8Array));
    done();
  }
}

export function safeText(text: string): string {
  return escapeOutput(text).replace(MARKER, (_match, code: string) => (code === 'EL' ? '\r\x1b[2K' : `\x1b[${code.slice(0, -1)}m`));
}

/** The same io with terminal-safe stdout and stderr (idempotent). */
export function terminalSafe(io: CliIo): CliIo {
  const wrap = <T extends CliIo['stdout']>(stream: T) => (stream instanceof SafeStream ? stream : new SafeStream(stream));
  return { ...io, stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

let pipesGuarded = false;

/**
 * A closed pipe on stdout/stderr (the reader exited, as `head` does) is no error: what is still written goes nowhere,
 * and the command ends as it would have (exit 0 when it succeeded), with no stack trace. It is not cut short either,
 * so its clean-up (e.g. a subagent removing its home when its parent died) still runs.
 */
export function quietOnClosedPipe(): void {
  if (pipesGuarded) return;
  pipesGuarded = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
      throw error;
    });
  }
}

/** The stream under a terminal-safe one: for readline prompts (they draw with control sequences and escape what they show). */
export function rawStream<T extends NodeJS.WritableStream>(stream: T): NodeJS.WritableStream {
  return stream instanceof SafeStream ? stream.raw : stream;
}
