// A real runtime (all default capabilities) behind the API, over the same in-process transport as the shells.
import type { ApiEvent, PendingQuestion, RuntimeApi } from '../../../src/common/index.ts';
import { createApiClient } from '../../../src/common/index.ts';
import { Runtime, callApi, createRuntimeApi, type ReinConfig, type Tool } from '../../../src/runtime/index.ts';

export interface ApiHarness {
  runtime: Runtime;
  api: RuntimeApi;
  client: RuntimeApi;
  next(predicate: (event: ApiEvent) => boolean): Promise<ApiEvent>;
  /** The next question asked through the API (an approval card). */
  nextQuestion(): Promise<PendingQuestion>;
}

export async function startApi(config: ReinConfig, tools: Tool[] = []): Promise<ApiHarness> {
  const runtime = new Runtime({ config, tools, retry: { retries: 0 }, trace: false });
  const api = createRuntimeApi(runtime);
  await runtime.start();
  const client = createApiClient({ invoke: (method, args) => callApi(api, method, JSON.parse(JSON.stringify(args)) as unknown[]), subscribe: (l) => api.onEvent(l) });
  const next = (predicate: (event: ApiEvent) => boolean) =>
    new Promise<ApiEvent>((resolve) => {
      const off = api.onEvent((event) => {
        if (!predicate(event)) return;
        off();
        resolve(event);
      });
    });
  const nextQuestion = () => next((e) => e.type === 'question.asked').then((e) => (e as Extract<ApiEvent, { type: 'question.asked' }>).question);
  return { runtime, api, client, next, nextQuestion };
}
