// The models section: the sources and their models, status of the default model, the zero-setup recommendation,
// and pulls (Ollama pulls, or downloads for the embedded engine) with progress events.
import path from 'node:path';
import type { ModelRecommendation, ModelSource, ModelStatus, ModelSummary, ModelsApi, PullProgressEvent } from '../../common/index.ts';
import { AbortedError, errorMessage } from '../base/index.ts';
import { isRemoteModel, type ModelConfig } from '../config/index.ts';
import { EmbeddedProvider, ModelStore, detectSources, probeTargets, recommendedModel, type ModelClient } from '../model/index.ts';
import type { Runtime } from '../runtime.ts';
import { ApiArgumentError } from './errors.ts';

export function modelsSection(runtime: Runtime, emit: (event: PullProgressEvent) => void): ModelsApi {
  const pulls = new Map<string, AbortController>();
  return {
    list: async () => summaries(runtime.model, 'model', isRemoteModel(runtime.config.model), AbortSignal.timeout(10_000)),
    sources: () => modelSources(runtime),
    status: () => modelStatus(runtime),
    recommended: () => Promise.resolve(recommendation(runtime)),
    pull: async (name) => {
      if (!name.trim()) throw new ApiArgumentError('models.pull needs a model name');
      if (pulls.has(name)) throw new ApiArgumentError(`${name} is already being pulled`);
      const { client, close } = await clientFor(runtime, name);
      if (!client.pull) throw new ApiArgumentError(`the ${client.provider} provider cannot pull models`);
      const controller = new AbortController();
      pulls.set(name, controller);
      let last = 'starting';
      try {
        await client.pull(name, (progress) => {
          last = progress.status;
          emit({ type: 'model.pull.progress', name, ...progress });
        }, controller.signal);
        emit({ type: 'model.pull.progress', name, status: last, done: true });
      } catch (error) {
        emit({ type: 'model.pull.progress', name, status: controller.signal.aborted ? 'cancelled' : 'failed', done: true, error: errorMessage(error) });
        throw error;
      } finally {
        pulls.delete(name);
        await close();
      }
    },
    cancelPull: (name) => {
      pulls.get(name)?.abort(new AbortedError(`pull of ${name} cancelled (a download resumes where it stopped)`));
      return Promise.resolve();
    },
    remove: async (ref) => {
      const { client, close } = await clientFor(runtime, ref);
      try {
        if (!client.remove) throw new ApiArgumentError(`the ${client.provider} provider cannot remove ${ref}`);
        await client.remove(ref);
      } finally {
        await close();
      }
    },
  };
}

/** A name the embedded engine downloads (catalog name, hf: URI, https URL, .gguf file) goes to it; others to the default source (Ollama pulls). */
export function isEmbeddedRef(runtime: Runtime, name: string): boolean {
  if (/^(hf:|https?:\/\/)/i.test(name) || name.toLowerCase().endsWith('.gguf')) return true;
  return new ModelStore(modelsDir(runtime)).resolve(name)?.catalog !== undefined && !name.includes(':');
}

async function clientFor(runtime: Runtime, name: string): Promise<{ client: ModelClient; close: () => Promise<void> }> {
  if (isEmbeddedRef(runtime, name)) {
    const client = new EmbeddedProvider(embeddedConfig(runtime.config.model), { dataDir: runtime.config.dataDir });
    return { client, close: () => client.close() };
  }
  await runtime.model.ready?.();
  return { client: runtime.model, close: () => Promise.resolve() };
}

function embeddedConfig(model: ModelConfig): ModelConfig {
  return model.provider === 'embedded' ? model : { source: 'embedded', provider: 'embedded', name: '', base_url: '', flavor: 'auto', temperature: model.temperature };
}

function modelsDir(runtime: Runtime): string {
  return path.join(runtime.config.dataDir, 'models');
}

export function recommendation(runtime: Runtime): ModelRecommendation {
  const { model, reason } = recommendedModel();
  const resolved = new ModelStore(modelsDir(runtime)).resolve(model.name)!;
  return { ref: model.name, title: model.title, sizeBytes: model.sizeBytes, licence: model.licence, licenceUrl: model.licenceUrl, target: resolved.path, reason, present: resolved.present };
}

async function summaries(client: ModelClient, source: string, cloud: boolean, signal: AbortSignal): Promise<ModelSummary[]> {
  await client.ready?.();
  const models = await client.listModels(signal);
  const prefix = source === 'model' ? '' : `${source}:`;
  return models.map(({ name, sizeBytes, parameterSize }) => ({
    name,
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(parameterSize ? { parameterSize } : {}),
    ref: `${prefix}${name}`,
    provider: client.provider,
    source,
    cloud,
  }));
}

/** The default source (with provider auto: every local source that answers), then each entry under `providers:`. */
async function modelSources(runtime: Runtime): Promise<ModelSource[]> {
  const { config } = runtime;
  const entries: { id: string; client: ModelClient; cloud: boolean; own: boolean }[] = [];
  if (config.model.provider === 'auto') {
    await runtime.model.ready?.();
    entries.push({ id: 'model', client: runtime.model, cloud: false, own: false });
    for (const detection of await detectSources(config.model, probeTargets())) {
      const kind = detection.config.provider;
      if (kind === runtime.model.provider || kind === 'openai_compatible' || entries.some((e) => e.id === kind)) continue;
      const client = kind === 'embedded' ? new EmbeddedProvider(embeddedConfig(config.model), { dataDir: config.dataDir }) : runtime.modelFor(`${kind}:`);
      entries.push({ id: kind, client, cloud: false, own: kind === 'embedded' });
    }
  } else entries.push({ id: 'model', client: runtime.model, cloud: isRemoteModel(config.model), own: false });
  for (const [id, provider] of Object.entries(config.providers)) entries.push({ id, client: runtime.modelFor(`${id}:`), cloud: isRemoteModel(provider), own: false });
  return Promise.all(
    entries.map(async ({ id, client, cloud, own }): Promise<ModelSource> => {
      const base = { id, provider: client.provider, ...(client.provider === 'embedded' ? {} : { baseUrl: client.location }), cloud };
      try {
        return { ...base, reachable: true, models: await summaries(client, id, cloud, AbortSignal.timeout(10_000)) };
      } catch (error) {
        return { ...base, reachable: false, error: errorMessage(error), models: [] };
      } finally {
        if (own) await client.close?.();
      }
    }),
  );
}

export async function modelStatus(runtime: Runtime): Promise<ModelStatus> {
  const { model } = runtime;
  await model.ready?.().catch(() => undefined);
  const base = { provider: model.provider, model: model.model, host: model.location, cloud: isRemoteModel(runtime.config.model) };
  let present: boolean;
  try {
    const models = await model.listModels(AbortSignal.timeout(5000));
    present = models.some((m) => sameModel(m.name, model.model));
  } catch (error) {
    return { ...base, reachable: false, present: false, error: errorMessage(error) };
  }
  if (!present) {
    const fix = model.provider === 'embedded' ? `rein models pull ${model.model}` : `ollama pull ${model.model}`;
    return { ...base, reachable: true, present, error: `model "${model.model}" is not ${model.provider === 'embedded' ? 'downloaded' : 'pulled'} — run \`${fix}\`` };
  }
  try {
    const info = await model.info(AbortSignal.timeout(model.provider === 'embedded' ? 120_000 : 5000));
    const contextSource = runtime.config.model.num_ctx ? 'configured' : 'server';
    return { ...base, reachable: true, present, contextWindow: info.contextWindow, contextSource, tools: info.supportsTools };
  } catch (error) {
    return { ...base, reachable: true, present, error: errorMessage(error) };
  }
}

/** `qwen3` and `qwen3:latest` name the same model. */
export function sameModel(a: string, b: string): boolean {
  const norm = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return norm(a) === norm(b);
}
