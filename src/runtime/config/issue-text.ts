// Config problems in the words people use: the schema's phrasing made plain, and for a value that is not one of
// the choices, the choices and the closest one ("did you mean").
import type { z } from 'zod';

/** The schema's wording ("Too big: expected number to be <=2") as people say it ("at most 2"). */
export function plainMessage(message: string): string {
  const bound = /^Too (big|small): expected (?:number|int) to be ([<>]=?)(-?[\d.]+)$/.exec(message);
  if (bound) {
    const [, , op, n] = bound;
    return { '<=': `must be at most ${n}`, '<': `must be less than ${n}`, '>=': `must be at least ${n}`, '>': `must be more than ${n}` }[op!] ?? message;
  }
  const type = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (type?.[2] === 'undefined') return 'is required but missing';
  if (type) return { number: 'must be a number', int: 'must be a whole number', boolean: 'must be on or off', string: 'must be text', array: 'must be a list' }[type[1]!] ?? message;
  if (/^Invalid option: expected one of /.test(message)) return message.replace(/^Invalid option: expected one of /, 'must be one of ').replaceAll('|', ', ');
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'must not be empty';
  return message;
}

/** A schema issue's message; `value` is what the file has at the issue's path. */
export function schemaIssueText(issue: z.core.$ZodIssue, value: unknown): string {
  // A schema's own message (e.g. "docker" is now "container") is kept; the generic one is made plain.
  if (issue.code === 'invalid_value' && /^Invalid option: expected one of /.test(issue.message) && issue.values.every((v) => typeof v === 'string')) {
    const choices = issue.values as string[];
    const given = typeof value === 'string' ? value : undefined;
    const close = given === undefined ? undefined : closest(given, choices);
    const shown = given === undefined ? '' : `"${given}" is not a choice: `;
    return `${shown}use one of ${choices.join(', ')}${close ? ` (did you mean ${close}?)` : ''}`;
  }
  return plainMessage(issue.message);
}

/** The choice within two edits of `given` (case ignored), if there is one. */
export function closest(given: string, choices: readonly string[]): string | undefined {
  const lower = given.toLowerCase();
  return choices.find((choice) => editDistance(choice.toLowerCase(), lower) <= 2);
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
