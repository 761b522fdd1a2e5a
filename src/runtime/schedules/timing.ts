// When a schedule's slots fall: cron expressions (croner: time zones, DST) or plain intervals ("90s", "15m").
import { Cron } from 'croner';
import { parseInterval } from '../config/index.ts';

export interface Timing {
  cron?: string;
  every?: string | number;
  timezone?: string;
}

/**
 * The slots after `after` up to and including `until` (epoch ms), oldest first, at most `limit`; `anchor` is
 * where an interval counts from. `more` tells whether slots were left out past the limit.
 */
export function slotsBetween(timing: Timing, anchor: number, after: number, until: number, limit: number): { slots: number[]; more: boolean } {
  const slots: number[] = [];
  if (timing.every !== undefined) {
    const step = parseInterval(timing.every);
    if (!step) return { slots, more: false };
    let k = Math.max(0, Math.floor((after - anchor) / step) + 1);
    for (let at = anchor + k * step; at <= until; at = anchor + ++k * step) {
      if (at <= after) continue;
      if (slots.length === limit) return { slots, more: true };
      slots.push(at);
    }
    return { slots, more: false };
  }
  const cron = new Cron(timing.cron!, { paused: true, ...(timing.timezone ? { timezone: timing.timezone } : {}) });
  let cursor = new Date(after);
  for (;;) {
    const next = cron.nextRun(cursor);
    if (!next || next.getTime() > until) return { slots, more: false };
    if (slots.length === limit) return { slots, more: true };
    slots.push(next.getTime());
    cursor = next;
  }
}

/** The first slot after `after` (epoch ms), or undefined when there is none. */
export function nextSlot(timing: Timing, anchor: number, after: number): number | undefined {
  if (timing.every !== undefined) {
    const step = parseInterval(timing.every);
    if (!step) return undefined;
    const k = Math.max(0, Math.floor((after - anchor) / step) + 1);
    return anchor + k * step;
  }
  const cron = new Cron(timing.cron!, { paused: true, ...(timing.timezone ? { timezone: timing.timezone } : {}) });
  return cron.nextRun(new Date(after))?.getTime();
}
