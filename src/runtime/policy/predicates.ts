// Evaluates a rule's `when` predicates against a call's arguments. Plain data, never code. Each predicate gives a
// Verdict (verdict.ts): a value that cannot be read for a predicate (unparseable number, URL or command) is
// `unknown`, which makes deny/ask rules match (fail closed) and allow rules not match.
import os from 'node:os';
import path from 'node:path';
import { quote } from 'shell-quote';
import type { Predicate } from '../config/index.ts';
import { parseCommands, startsLike, type ParsedCommand } from './commands.ts';
import { matchesGlob } from './glob.ts';
import { hostReadings, normalizeHost } from './hosts.ts';
import { numberReadings } from './numbers.ts';
import { pathReadings, realPath } from './paths.ts';
import { every, fromBoolean, overReadings, type Verdict } from './verdict.ts';

/** Longer commands are not read (a shell's ARG_MAX is larger, but no model writes such a command): unknown. */
const MAX_COMMAND = 65_536;

export interface PredicateContext {
  /** Folders a relative path argument is resolved against (the tool's server cwd and roots). */
  pathBases?: readonly string[];
}

/** Every predicate must hold. A missing argument fails the predicates that need it (`exists: false` aside). */
export function predicatesVerdict(when: Record<string, Predicate> | undefined, args: Record<string, unknown>, context: PredicateContext = {}): Verdict {
  if (!when) return 'yes';
  return every(Object.entries(when).map(([key, predicate]) => verdictOf(predicate, valueAt(args, key), context)));
}

/** `args.payment.to` → args.payment.to */
function valueAt(args: Record<string, unknown>, key: string): unknown {
  let value: unknown = args;
  for (const part of key.split('.').slice(1)) {
    if (!value || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function verdictOf(p: Predicate, value: unknown, context: PredicateContext): Verdict {
  const present = value !== undefined && value !== null;
  if (p.exists !== undefined && present !== p.exists) return 'no';
  const checks: Verdict[] = [];
  const needsValue = Object.entries(p).some(([key, v]) => key !== 'exists' && v !== undefined);
  if (!needsValue) return 'yes';
  if (!present) return 'no';
  if (p.eq !== undefined) checks.push(same(value, p.eq));
  if (p.ne !== undefined) checks.push(negate(same(value, p.ne)));
  if (p.in) checks.push(anyOf(p.in.map((item) => same(value, item))));
  if (p.not_in) checks.push(negate(anyOf(p.not_in.map((item) => same(value, item)))));
  if (p.gt !== undefined || p.gte !== undefined || p.lt !== undefined || p.lte !== undefined) checks.push(compare(p, value));
  if (p.contains !== undefined) {
    const text = asText(value);
    checks.push(text === undefined ? 'unknown' : fromBoolean(text.includes(p.contains)));
  }
  if (p.starts_with !== undefined) checks.push(commandStarts(value, list(p.starts_with)));
  if (p.glob !== undefined) checks.push(pathMatches(value, list(p.glob), context));
  if (p.host !== undefined) checks.push(overReadings(hostReadings(value), (host) => matchesGlob(host, list(p.host!).map(normalizeHost), { ignoreCase: true })));
  return every(checks);
}

function compare(p: Predicate, value: unknown): Verdict {
  return overReadings(numberReadings(value), (n) => (p.gt === undefined || n > p.gt) && (p.gte === undefined || n >= p.gte) && (p.lt === undefined || n < p.lt) && (p.lte === undefined || n <= p.lte));
}

function same(value: unknown, expected: unknown): Verdict {
  if (value === expected) return 'yes';
  if (typeof expected !== 'number') return 'no';
  const readings = numberReadings(value);
  return readings.length ? overReadings(readings, (n) => n === expected) : 'no';
}

function anyOf(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('yes')) return 'yes';
  return verdicts.includes('unknown') ? 'unknown' : 'no';
}

function negate(verdict: Verdict): Verdict {
  return verdict === 'unknown' ? verdict : verdict === 'yes' ? 'no' : 'yes';
}

/**
 * `yes` when every command, as written, starts like one of the prefixes; `no` when no reading of any command does
 * (and every program is literal); otherwise `unknown` — e.g. a prefix matching only what a wrapper runs, or only
 * one command of a sequence. So deny/ask rules catch any command anywhere; allow rules need all of them.
 */
function commandStarts(value: unknown, prefixes: string[]): Verdict {
  const text = typeof value === 'string' ? value : Array.isArray(value) && value.every((v) => typeof v === 'string') ? quote(value as string[]) : undefined;
  if (text === undefined || text.length > MAX_COMMAND) return 'unknown';
  const commands = parseCommands(text);
  if (!commands.length) return 'no';
  const starts = (reading: ParsedCommand) => prefixes.some((prefix) => startsLike(reading, prefix));
  const perCommand = commands.map((readings): Verdict => {
    // What the reading cannot account for in full matches every deny/ask and no allow (fail closed).
    if (readings.some((reading) => reading.unreadable)) return 'unknown';
    if (starts(readings[0]!)) return 'yes';
    return readings.some(starts) ? 'unknown' : 'no';
  });
  if (perCommand.every((v) => v === 'yes')) return 'yes';
  return perCommand.every((v) => v === 'no') ? 'no' : 'unknown';
}

/** Every reading of the path must match for `yes`; relative readings (no base known) can only be `yes` or `unknown`. */
function pathMatches(value: unknown, globs: string[], context: PredicateContext): Verdict {
  const readings = pathReadings(value, context.pathBases ?? []);
  if (!readings) return 'unknown';
  const patterns = pathGlobs(globs);
  const ignoreCase = process.platform !== 'linux';
  const results = readings.paths.map((p): Verdict => (matchesGlob(p, patterns, { ignoreCase }) ? 'yes' : path.posix.isAbsolute(p) ? 'no' : 'unknown'));
  return every(results) === 'yes' ? 'yes' : results.every((r) => r === 'no') ? 'no' : 'unknown';
}

/** The globs as written, with `~` expanded, and with their literal folder resolved through symlinks. */
function pathGlobs(globs: string[]): string[] {
  const out = new Set<string>();
  for (const glob of globs) {
    const expanded = glob === '~' || glob.startsWith('~/') ? path.posix.join(os.homedir(), glob.slice(1)) : glob;
    out.add(expanded);
    const wildcard = expanded.search(/[*?]/);
    const literal = wildcard < 0 ? expanded : expanded.slice(0, expanded.lastIndexOf('/', wildcard) + 1);
    if (!path.posix.isAbsolute(literal)) continue;
    const real = realPath(literal.replace(/\/+$/, '') || '/');
    if (real) out.add(path.posix.join(real, expanded.slice(literal.length)));
  }
  return [...out];
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(' ');
  return typeof value === 'object' ? JSON.stringify(value) : undefined;
}

function list(value: string | string[]): string[] {
  return typeof value === 'string' ? [value] : value;
}
