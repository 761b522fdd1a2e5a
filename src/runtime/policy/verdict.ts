// Three-valued predicate results. A value can be read several ways (an ambiguous number, a path and the file its
// symlinks lead to, each command of a pipeline); `unknown` means the readings disagree or there is none.
// deny/ask rules treat `unknown` as a match (fail closed); allow rules need a clear `yes`.

export type Verdict = 'yes' | 'no' | 'unknown';

/** `yes` when every reading passes, `no` when none does, `unknown` when they disagree or there are no readings. */
export function overReadings<T>(readings: readonly T[] | undefined, test: (reading: T) => boolean): Verdict {
  if (!readings?.length) return 'unknown';
  let passed = 0;
  for (const reading of readings) if (test(reading)) passed++;
  if (passed === readings.length) return 'yes';
  return passed === 0 ? 'no' : 'unknown';
}

/** All must hold: any `no` wins, then any `unknown`. */
export function every(verdicts: Iterable<Verdict>): Verdict {
  let result: Verdict = 'yes';
  for (const verdict of verdicts) {
    if (verdict === 'no') return 'no';
    if (verdict === 'unknown') result = 'unknown';
  }
  return result;
}

export function fromBoolean(value: boolean): Verdict {
  return value ? 'yes' : 'no';
}
