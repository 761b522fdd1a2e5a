import os from 'node:os';

/**
 * CPU threads for generation when `model.threads` is not set. llama.cpp's token loop waits for its slowest thread:
 * on a machine with two cores, two threads against any other busy process ran far slower than one (see
 * docs/performance.md, bench/embedded-threads.ts). So: one thread up to 2 cores, else half the cores (hyperthreads
 * add little), at most 8.
 */
export function defaultThreads(cores = os.availableParallelism()): number {
  if (cores <= 2) return 1;
  return Math.min(8, Math.max(1, Math.floor(cores / 2)));
}
