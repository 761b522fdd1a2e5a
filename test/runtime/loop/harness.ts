import type { RunEvent } from '../../../src/common/index.ts';
import { Runtime, type RunResult, type Tool } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';

export async function runGoal(
  host: string,
  goal: string,
  options: { yaml?: string; tools?: Tool[]; abortAfterMs?: number } = {},
): Promise<{ result: RunResult; events: RunEvent[]; runtime: Runtime }> {
  // The bare loop: capabilities (memory, …) are tested on their own.
  const runtime = new Runtime({ config: testConfig(options.yaml ?? '', host), tools: options.tools, retry: { retries: 0 }, extensions: [] });
  const run = runtime.startRun(goal);
  if (options.abortAfterMs !== undefined) setTimeout(() => run.abort('test abort'), options.abortAfterMs);
  const events: RunEvent[] = [];
  for await (const event of run.events) events.push(event);
  const result = await run.result;
  await runtime.close();
  return { result, events, runtime };
}

export function ofType<T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}
