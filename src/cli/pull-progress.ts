// Pull progress on the terminal: one line rewritten in place (a TTY), or a line every few seconds (a log).
import type { PullProgressEvent } from '../common/index.ts';
import { formatBytes, formatEta } from '../runtime/index.ts';
import type { CliIo } from './io.ts';

const LOG_EVERY_MS = 5_000;

export function formatSize(bytes: number): string {
  return formatBytes(bytes);
}

export function progressPrinter(io: CliIo): (event: PullProgressEvent) => void {
  const tty = Boolean(io.stderr.isTTY);
  let lastLog = 0;
  let lastStatus = '';
  return (event) => {
    const line = describe(event);
    if (tty) {
      io.stderr.write(`\r\x1b[2K${line}`);
      if (event.done) {
        io.stderr.write('\n');
      }
      return;
    }
    const now = Date.now();
    const kind = event.status.split(' ')[0] ?? '';
    if (event.done || kind !== lastStatus || now - lastLog >= LOG_EVERY_MS) {
      io.stderr.write(`${line}\n`);
      lastLog = now;
      lastStatus = kind;
    }
  };
}

function describe(event: PullProgressEvent): string {
  if (event.error) return `✗ ${event.name}: ${event.error}`;
  if (event.done) return `✓ ${event.name}: ${event.status}`;
  if (event.completed !== undefined && event.total) {
    const percent = Math.floor((event.completed / event.total) * 100);
    const speed = event.bytesPerSecond ? `, ${formatBytes(event.bytesPerSecond)}/s` : '';
    const eta = event.etaSeconds !== undefined ? `, ${formatEta(event.etaSeconds)} left` : '';
    return `${event.name}: ${percent}% (${formatBytes(event.completed)} of ${formatBytes(event.total)}${speed}${eta})`;
  }
  return `${event.name}: ${event.status}`;
}
