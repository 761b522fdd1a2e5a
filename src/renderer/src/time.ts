// Times as people read them, in their own zone and language: "5 minutes ago", "yesterday", "in 2 hours" within a
// week (Intl.RelativeTimeFormat), else the local date and time. The full local date goes in a title.

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400],
  ['month', 30 * 86_400],
  ['week', 7 * 86_400],
  ['day', 86_400],
  ['hour', 3_600],
  ['minute', 60],
];

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** Relative within a week ("3 hours ago", "tomorrow"), else the local date and time. */
export function when(iso: string, now = Date.now()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const seconds = (date.getTime() - now) / 1000;
  const size = Math.abs(seconds);
  if (size < 45) return seconds <= 0 ? 'just now' : 'in a moment';
  if (size >= 7 * 86_400) return fullDate(iso);
  for (const [unit, length] of UNITS) {
    if (size >= length || unit === 'minute') return relative.format(Math.round(seconds / length), unit);
  }
  return fullDate(iso);
}

/** The local date and time, e.g. "12 Mar 2025, 14:05". */
export function fullDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** A duration people read: "850 ms", "12 s", "3 min 5 s". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
}
