import { sleep } from '../base/index.ts';
import { isTransient } from './errors.ts';
import type { RetryNotice } from './types.ts';

export interface RetryPolicy {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 500, maxDelayMs: 8000 };

export function retryDelay(policy: RetryPolicy, attempt: number): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(exponential * (0.75 + Math.random() * 0.25));
}

/** Runs `operation` again after transient failures, with exponential backoff. */
export async function withRetry<T>(
  policy: RetryPolicy,
  operation: () => Promise<T>,
  options: { signal?: AbortSignal; onRetry?: (notice: RetryNotice) => void } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isTransient(error) || attempt > policy.retries || options.signal?.aborted) throw error;
      const delayMs = retryDelay(policy, attempt);
      options.onRetry?.({ attempt, delayMs, error: error as Error });
      await sleep(delayMs, options.signal);
    }
  }
}
