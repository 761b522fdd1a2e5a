// The models section: list, status of the configured model, and pulls with progress events.
import type { ModelSource, ModelStatus, ModelSummary, ModelsApi, PullProgressEvent } from '../../common/index.ts';
import { AbortedError, errorMessage } from '../base/index.ts';
import { isRemoteModel, type ModelConfig } from '../config/index.ts';
import type { ModelClient } from '../model/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { ApiArgumentError } from './errors.ts';

export function modelsSection(runtime: ApiRuntime, emit: (event: PullProgressEvent) => void): ModelsApi {
  const pulls = new Map<string, AbortController>();
  return {
    list: async () => (await runtime.model.listModels(AbortSignal.timeout(10_000))).map(({ name, sizeBytes, parameterSize }) => ({ name, sizeBytes, parameterSize })),
    sources: () => modelSources(runtime),
    recommended: () => Promise.reject(new ApiArgumentError('the embedded engine is not part of this build')),
    remove: (ref) => Promise.reject(new ApiArgumentError(`the ${runtime.model.provider} provider cannot remove ${ref}`)),
    status: () => modelStatus(runtime),
    pull: async (name) => {
      const { model } = runtime;
      if (!model.pull) throw new ApiArgumentError(`the ${model.provider} provider cannot pull models`);
      if (!name.trim()) throw new ApiArgumentError('models.pull needs a model name');
      if (pulls.has(name)) throw new ApiArgumentError(`${name} is already being pulled`);
      const controller = new AbortController();
      pulls.set(name, controller);
      let last = 'starting';
      try {
        await model.pull(name, (progress) => {
          last = progress.status;
          emit({ type: 'model.pull.progress', name, ...progress });
        }, controller.signal);
        emit({ type: 'model.pull.progress', name, status: last, done: true });
      } catch (error) {
        emit({ type: 'model.pull.progress', name, status: 'failed', done: true, error: errorMessage(error) });
        throw error;
      } finally {
        pulls.delete(name);
      }
    },
    cancelPull: (name) => {
      pulls.get(name)?.abort(new AbortedError(`pull of ${name} cancelled`));
      return Promise.resolve();
    },
  };
}

export async function modelStatus(runtime: Pick<ApiRuntime, 'model' | 'config'>): Promise<ModelStatus> {
  const { model } = runtime;
  const base = { provider: model.provider, host: model.location, cloud: isRemoteModel(runtime.config.model) };
  try {
    const models = await model.listModels(AbortSignal.timeout(5000));
    const info = await model.info(AbortSignal.timeout(5000)).catch(() => undefined);
    const present = models.some((m) => sameModel(m.name, model.model));
    const details = info ? { contextWindow: info.contextWindow, contextSource: info.contextSource, tools: info.supportsTools } : {};
    return { ...base, model: model.model, reachable: true, present, ...details, ...(present ? {} : { error: notServed(model, models.map((m) => m.name)) }) };
  } catch (error) {
    return { ...base, model: model.model, reachable: false, present: false, error: errorMessage(error) };
  }
}

/** The model is not among those the source has: say what it has and how to add it. */
export function notServed(model: ModelClient, served: string[]): string {
  const has = served.length ? ` (it has: ${served.join(', ')})` : '';
  return `model "${model.model}" is not available at ${model.location || model.provider}${has} — ${model.howToAdd?.(model.model) ?? 'add it there, or set model.name'}`;
}

/** Every configured source — `model:` and each entry under `providers:` — with its models, context windows and tool support. */
async function modelSources(runtime: ApiRuntime): Promise<ModelSource[]> {
  const { config } = runtime;
  const entries: [string, ModelConfig][] = [['model', config.model], ...Object.entries(config.providers)];
  return Promise.all(entries.map(([id, source]) => oneSource(runtime, id, source)));
}

async function oneSource(runtime: ApiRuntime, id: string, source: ModelConfig): Promise<ModelSource> {
  const cloud = isRemoteModel(source);
  let client: ModelClient;
  try {
    client = id === 'model' ? runtime.model : runtime.modelFor(`${id}:`);
  } catch (error) {
    return { id, provider: source.provider, ...(source.base_url ? { baseUrl: source.base_url } : {}), cloud, reachable: false, error: errorMessage(error), models: [] };
  }
  const head = { id, provider: client.provider, ...(client.location ? { baseUrl: client.location } : {}), cloud };
  try {
    const listed = await client.listModels(AbortSignal.timeout(10_000));
    const info = await client.info(AbortSignal.timeout(10_000)).catch(() => undefined);
    const models = listed.map((m): ModelSummary => {
      const own = info && sameModel(m.name, info.name);
      const contextWindow = m.contextWindow ?? (own ? info.contextWindow : undefined);
      const tools = m.tools ?? (own ? info.supportsTools : undefined);
      return {
        name: m.name,
        ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}),
        ...(m.parameterSize ? { parameterSize: m.parameterSize } : {}),
        ref: id === 'model' ? m.name : `${id}:${m.name}`,
        provider: client.provider,
        source: id,
        ...(contextWindow ? { contextWindow } : {}),
        ...(tools !== undefined ? { tools } : {}),
        ...(m.loaded !== undefined ? { loaded: m.loaded } : {}),
        cloud,
      };
    });
    return { ...head, reachable: true, models };
  } catch (error) {
    return { ...head, reachable: false, error: errorMessage(error), models: [] };
  }
}

/** `qwen3` and `qwen3:latest` name the same model. */
export function sameModel(a: string, b: string): boolean {
  const norm = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return norm(a) === norm(b);
}
