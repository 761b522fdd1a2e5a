import { z } from 'zod';
import { Cron } from 'croner';

const scheduleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'use letters, digits, ".", "_" or "-" (at most 64)');

/** One schedule: a goal (or a skill with input) run at cron slots or every interval, unattended. */
export const scheduleSchema = z
  .strictObject({
    name: scheduleName,
    goal: z.string().min(1).optional(),
    /** Run this skill (through run_skill) with `input` instead of a free goal. */
    skill: z.string().min(1).optional(),
    input: z.custom<unknown>((value) => !forbiddenKey(value), { message: 'input may not use the keys __proto__, constructor or prototype' }).pipe(z.record(z.string(), z.unknown())).optional(),
    cron: z.string().min(1).optional(),
    /** An interval: "90s", "15m", "1h30m", "2d" (at least 1s). */
    every: z.union([z.string().min(1), z.number().positive()]).optional(),
    /** IANA time zone of the cron expression (default: the machine's). */
    timezone: z.string().min(1).optional(),
    /** Slots missed while the machine slept or the host was down: none, one run for all, or each (bounded). */
    catch_up: z.enum(['skip', 'run_once', 'run_all']).default('run_once'),
    max_catch_up: z.int().min(1).max(100).default(10),
    /** A slot that comes while the previous run still goes: record it missed, or start it afterwards. */
    overlap: z.enum(['skip', 'queue']).default('skip'),
    /** With overlap: queue, at most this many slots wait; a slot past it is recorded missed ("the queue is full"). */
    max_queued: z.int().min(1).max(100).default(3),
    model: z.string().min(1).optional(),
    /** Unattended approvals: wait for a human (at most approval_timeout_s), or deny at once. */
    approvals: z.enum(['wait', 'deny']).default('wait'),
    approval_timeout_s: z.number().positive().max(7 * 86_400).default(3600),
    enabled: z.boolean().default(true),
  })
  .superRefine((s, ctx) => {
    if ((s.goal === undefined) === (s.skill === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of goal or skill' });
    if (s.input !== undefined && s.skill === undefined) ctx.addIssue({ code: 'custom', path: ['input'], message: 'input is for a skill schedule' });
    if ((s.cron === undefined) === (s.every === undefined)) ctx.addIssue({ code: 'custom', message: 'give exactly one of cron or every' });
    if (s.every !== undefined) {
      const ms = parseInterval(s.every);
      if (ms === undefined) ctx.addIssue({ code: 'custom', path: ['every'], message: `"${s.every}" is not an interval like 90s, 15m, 1h30m or 2d` });
      else if (ms < 1000) ctx.addIssue({ code: 'custom', path: ['every'], message: 'the shortest interval is 1s' });
    }
    if (s.timezone !== undefined && !validTimezone(s.timezone)) ctx.addIssue({ code: 'custom', path: ['timezone'], message: `unknown time zone "${s.timezone}"` });
    if (s.cron !== undefined) {
      const problem = cronProblem(s.cron, s.timezone && validTimezone(s.timezone) ? s.timezone : undefined);
      if (problem) ctx.addIssue({ code: 'custom', path: ['cron'], message: `invalid cron expression "${s.cron}": ${problem}` });
    }
  });

export const schedulesSchema = z
  .array(scheduleSchema)
  .default([])
  .refine((schedules) => new Set(schedules.map((s) => s.name)).size === schedules.length, { message: 'schedule names must be unique' });

// Parsing lives here so the config can validate; the schedules capability imports it from config/index.ts.
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "90s", "15m", "1h30m", "2d" or a number of seconds → milliseconds; undefined when it is not such a duration. */
export function parseInterval(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text * 1000 : undefined;
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  const parts = [...trimmed.matchAll(/(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== trimmed.replace(/\s+/g, '')) return undefined;
  const total = parts.reduce((sum, [, value, unit]) => sum + Number(value) * UNITS[unit!]!, 0);
  return total > 0 ? total : undefined;
}

/** Why a cron expression is invalid (croner's own words), or undefined when it is valid. */
export function cronProblem(expression: string, timezone?: string): string | undefined {
  const fields = expression.trim().split(/\s+/);
  if (!fields[0]!.startsWith('@') && (fields.length < 5 || fields.length > 6)) {
    return `it has ${fields.length} fields; use 5 (minute hour day-of-month month day-of-week) or 6 (seconds first), or a nickname like @daily`;
  }
  try {
    new Cron(expression, { paused: true, ...(timezone ? { timezone } : {}) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export type ScheduleConfig = z.output<typeof scheduleSchema>;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** True when a value (from YAML or JSON) has a key that would reach an object's prototype, at any depth. */
function forbiddenKey(value: unknown, depth = 0): boolean {
  if (!value || typeof value !== 'object' || depth > 32) return false;
  if (!Array.isArray(value) && ![Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null)) return true;
  return Reflect.ownKeys(value).some((key) => (typeof key === 'string' && FORBIDDEN_KEYS.has(key)) || forbiddenKey((value as Record<PropertyKey, unknown>)[key], depth + 1));
}

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
