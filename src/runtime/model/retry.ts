import { sleep } from '../base/index.ts';
import { ContextOverflowError, isTransient } from './errors.ts';
import type { ChatRequest, ModelChunk, RetryNotice } from './types.ts';

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

/** Whether the stream of one attempt has shown anything yet (what was shown cannot be taken back). */
export interface StreamProgress {
  yielded: boolean;
}

/**
 * A provider's chat stream with its retries: transient failures are tried again (with backoff) until the first chunk
 * is out; `recover` sees every error first and may adjust the provider's state for an immediate new attempt (a
 * refused request field dropped, native tools turned off) by returning true. A context overflow is never retried
 * here: the loop compacts the prompt and asks again.
 */
export async function* retryingStream(
  policy: RetryPolicy,
  request: Pick<ChatRequest, 'signal' | 'onRetry'>,
  once: (progress: StreamProgress) => AsyncIterable<ModelChunk>,
  recover: (error: unknown) => boolean | Promise<boolean> = () => false,
): AsyncIterable<ModelChunk> {
  const progress: StreamProgress = { yielded: false };
  for (let attempt = 1; ; attempt++) {
    try {
      yield* once(progress);
      return;
    } catch (error) {
      const recovered = await recover(error);
      if (recovered && !progress.yielded && !(error instanceof ContextOverflowError)) continue;
      if (progress.yielded || !isTransient(error) || attempt > policy.retries || request.signal?.aborted) throw error;
      const delayMs = retryDelay(policy, attempt);
      request.onRetry?.({ attempt, delayMs, error: error as Error });
      await sleep(delayMs, request.signal);
    }
  }
}
