import type { ModelToolCall } from '../model/index.ts';

/** Splits a turn's calls into batches: neighbouring parallel-safe calls share a batch, others run alone. */
export function toolBatches(calls: ModelToolCall[], parallelSafe: (name: string) => boolean): ModelToolCall[][] {
  const batches: ModelToolCall[][] = [];
  let open: ModelToolCall[] | undefined;
  for (const call of calls) {
    if (parallelSafe(call.name)) {
      if (!open) batches.push((open = []));
      open.push(call);
    } else {
      open = undefined;
      batches.push([call]);
    }
  }
  return batches;
}
