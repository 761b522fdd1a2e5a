// Evaluates a rule's `when` predicates against a call's arguments. Plain data, never code.
import path from 'node:path';
import type { Predicate } from '../config/index.ts';
import { matchesGlob } from './glob.ts';

/** Every predicate must hold. A missing or mistyped argument fails the predicates that need it. */
export function predicatesHold(when: Record<string, Predicate> | undefined, args: Record<string, unknown>): boolean {
  if (!when) return true;
  return Object.entries(when).every(([key, predicate]) => holds(predicate, valueAt(args, key)));
}

/** `args.payment.to` → args.payment.to */
function valueAt(args: Record<string, unknown>, key: string): unknown {
  let value: unknown = args;
  for (const part of key.split('.').slice(1)) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function holds(p: Predicate, value: unknown): boolean {
  if (p.exists !== undefined && (value !== undefined && value !== null) !== p.exists) return false;
  if (p.eq !== undefined && !same(value, p.eq)) return false;
  if (p.ne !== undefined && same(value, p.ne)) return false;
  if (p.in && !p.in.some((item) => same(value, item))) return false;
  if (p.not_in?.some((item) => same(value, item))) return false;
  if (!compare(p, value)) return false;
  const text = asText(value);
  if (p.contains !== undefined && !text?.includes(p.contains)) return false;
  if (p.starts_with !== undefined && !(text !== undefined && list(p.starts_with).some((prefix) => normalizeCommand(text).startsWith(prefix)))) return false;
  if (p.glob !== undefined && !(text !== undefined && matchesGlob(normalizePath(text), p.glob))) return false;
  if (p.host !== undefined && !hostMatches(text, p.host)) return false;
  return true;
}

function compare(p: Predicate, value: unknown): boolean {
  if (p.gt === undefined && p.gte === undefined && p.lt === undefined && p.lte === undefined) return true;
  const n = asNumber(value);
  if (n === undefined) return false;
  return (p.gt === undefined || n > p.gt) && (p.gte === undefined || n >= p.gte) && (p.lt === undefined || n < p.lt) && (p.lte === undefined || n <= p.lte);
}

/** Numbers, and numeric strings like "10000" or "$1,200.50" (models often send amounts as text). */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const cleaned = value.trim().replace(/^\$/, '').replaceAll(',', '');
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined;
  return Number(cleaned);
}

function same(value: unknown, expected: unknown): boolean {
  if (value === expected) return true;
  return typeof expected === 'number' && asNumber(value) === expected;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(' ');
  return undefined;
}

function normalizeCommand(command: string): string {
  return command.trim().replace(/\s+/g, ' ');
}

/** Resolves `.` and `..` so `/safe/../etc/passwd` cannot slip past `/etc/**`. */
function normalizePath(text: string): string {
  return path.posix.normalize(text.replaceAll('\\', '/'));
}

function hostMatches(text: string | undefined, hosts: string | string[]): boolean {
  if (text === undefined) return false;
  try {
    return matchesGlob(new URL(text).hostname, hosts, { ignoreCase: true });
  } catch {
    return false;
  }
}

function list(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}
