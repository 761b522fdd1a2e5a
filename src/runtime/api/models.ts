// The models section: list, status of the configured model, and pulls with progress events.
import type { ModelStatus, ModelsApi, PullProgressEvent } from '../../common/index.ts';
import { AbortedError, errorMessage } from '../base/index.ts';
import { isRemoteModel } from '../config/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { ApiArgumentError } from './errors.ts';

export function modelsSection(runtime: ApiRuntime, emit: (event: PullProgressEvent) => void): ModelsApi {
  const pulls = new Map<string, AbortController>();
  return {
    list: async () => (await runtime.model.listModels(AbortSignal.timeout(10_000))).map(({ name, sizeBytes, parameterSize }) => ({ name, sizeBytes, parameterSize })),
    sources: async () => {
      const { model } = runtime;
      const cloud = isRemoteModel(runtime.config.model);
      try {
        const models = await model.listModels(AbortSignal.timeout(10_000));
        return [{ id: 'model', provider: model.provider, baseUrl: model.location, cloud, reachable: true, models: models.map(({ name, sizeBytes, parameterSize }) => ({ name, sizeBytes, parameterSize, ref: name, provider: model.provider, source: 'model', cloud })) }];
      } catch (error) {
        return [{ id: 'model', provider: model.provider, baseUrl: model.location, cloud, reachable: false, error: errorMessage(error), models: [] }];
      }
    },
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

export async function modelStatus(runtime: Pick<ApiRuntime, 'model'>): Promise<ModelStatus> {
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
