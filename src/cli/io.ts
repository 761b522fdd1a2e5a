import { SafeStream, controlMarker } from './safe-output.ts';

export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() });

export interface Style {
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  bold(text: string): string;
}

export function styleFor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  const on = Boolean(stream.isTTY) && !env.NO_COLOR && env.TERM !== 'dumb';
  // Through a terminal-safe stream (every command's), Rein's own colours travel as markers only it can write.
  const sgr = (code: string) => (stream instanceof SafeStream ? controlMarker(`${code}m`) : `\x1b[${code}m`);
  const wrap = (code: string) => (text: string) => (on ? `${sgr(code)}${text}${sgr('0')}` : text);
  return { dim: wrap('2'), red: wrap('31'), green: wrap('32'), yellow: wrap('33'), cyan: wrap('36'), bold: wrap('1') };
}

/** `\r` + erase line, to redraw a progress line (only what a terminal-safe stream lets through as Rein's own). */
export function eraseLine(stream: object): string {
  return stream instanceof SafeStream ? controlMarker('EL') : '\r\x1b[2K';
}
