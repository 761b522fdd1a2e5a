import { ReinError, errorMessage } from '../base/index.ts';
import type { RunHooks } from './hooks.ts';

/** Runs a hook; its failure names the capability. */
export async function named<T>(hook: RunHooks, call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof Error && (error.name === 'AbortedError' || error.name === 'TimeoutError')) throw error;
    throw new ReinError(`${hook.name}: ${errorMessage(error)}`, { cause: error });
  }
}
