import type { ModelStatus, RunSummary, RuntimeApi } from '../common/index.ts';
import { errorMessage } from './base/index.ts';
import type { Runtime, RunHandle } from './runtime.ts';

/** The runtime seen through the shared API contract (what IPC and `rein serve` expose). */
export function createRuntimeApi(runtime: Runtime): RuntimeApi {
  return {
    startRun: ({ goal }) => {
      if (typeof goal !== 'string' || !goal.trim()) return Promise.reject(new Error('startRun needs a non-empty goal'));
      return Promise.resolve({ runId: runtime.startRun(goal).runId });
    },
    abortRun: (runId) => {
      runtime.getRun(runId)?.abort();
      return Promise.resolve();
    },
    listRuns: () => Promise.resolve(runtime.listRuns().map(summarize)),
    modelStatus: () => modelStatus(runtime),
    onEvent: (listener) => runtime.onEvent(listener),
  };
}

function summarize(run: RunHandle): RunSummary {
  const finished = run.events.events().find((e) => e.type === 'run.finished');
  if (finished?.type !== 'run.finished') {
    return { runId: run.runId, goal: run.goal, status: 'running', usage: { promptTokens: 0, completionTokens: 0 } };
  }
  const { status, answer, reason, usage } = finished;
  return { runId: run.runId, goal: run.goal, status, answer, reason, usage };
}

export async function modelStatus(runtime: Runtime): Promise<ModelStatus> {
  const { model } = runtime;
  const base = { provider: model.provider, model: model.model, host: model.location };
  try {
    const models = await model.listModels(AbortSignal.timeout(5000));
    const present = models.some((m) => sameModel(m.name, model.model));
    return { ...base, reachable: true, present, ...(present ? {} : { error: `model "${model.model}" is not pulled — run \`ollama pull ${model.model}\`` }) };
  } catch (error) {
    return { ...base, reachable: false, present: false, error: errorMessage(error) };
  }
}

/** `qwen3` and `qwen3:latest` name the same model. */
export function sameModel(a: string, b: string): boolean {
  const norm = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return norm(a) === norm(b);
}
