// The models section: every source and its models, status of the configured model, the zero-setup recommendation,
// and pulls (Ollama pulls, or downloads for the embedded engine) with progress events.
import path from 'node:path';
import type { ModelRecommendation, ModelSource, ModelStatus, ModelSummary, ModelsApi, PullProgressEvent } from '../../common/index.ts';
import { AbortedError, errorMessage } from '../base/index.ts';
import { isRemoteModel, type ModelConfig } from '../config/index.ts';
import { EmbeddedProvider, ModelStore, detectSources, modelDownloadHosts, probeTargets, recommendedModel, type ModelClient } from '../model/index.ts';
import { allowDuring } from '../policy/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { ApiArgumentError } from './errors.ts';

export function modelsSection(runtime: ApiRuntime, emit: (event: PullProgressEvent) => void): ModelsApi {
  const pulls = new Map<string, AbortController>();
  return {
    list: async () => {
      await runtime.model.ready?.();
      return (await runtime.model.listModels(AbortSignal.timeout(10_000))).map(({ name, sizeBytes, parameterSize }) => ({ name, sizeBytes, parameterSize }));
    },
    sources: () => modelSources(runtime),
    recommended: () => Promise.resolve(recommendation(runtime)),
    status: () => modelStatus(runtime),
    pull: async (name) => {
      if (!name.trim()) throw new ApiArgumentError('models.pull needs a model name');
      if (pulls.has(name)) throw new ApiArgumentError(`${name} is already being pulled`);
      const { client, close } = await clientFor(runtime, name);
      if (!client.pull) {
        await close();
        throw new ApiArgumentError(`the ${client.provider} provider cannot pull models`);
      }
      const controller = new AbortController();
      pulls.set(name, controller);
      let last = 'starting';
      try {
        // Offline mode lets the download reach the model host (Hugging Face) only while this pull, which the user asked for, runs.
        await allowDuring(modelDownloadHosts(), () =>
          client.pull!(name, (progress) => {
            last = progress.status;
            emit({ type: 'model.pull.progress', name, ...progress });
          }, controller.signal),
        );
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
export function isEmbeddedRef(runtime: ApiRuntime, name: string): boolean {
  if (/^(hf:|https?:\/\/)/i.test(name) || name.toLowerCase().endsWith('.gguf')) return true;
  return new ModelStore(modelsDir(runtime)).resolve(name)?.catalog !== undefined && !name.includes(':');
}

async function clientFor(runtime: ApiRuntime, name: string): Promise<{ client: ModelClient; close: () => Promise<void> }> {
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

function modelsDir(runtime: ApiRuntime): string {
  return path.join(runtime.config.dataDir, 'models');
}

export function recommendation(runtime: ApiRuntime): ModelRecommendation {
  const { model, reason } = recommendedModel();
  const resolved = new ModelStore(modelsDir(runtime)).resolve(model.name)!;
  return { ref: model.name, title: model.title, sizeBytes: model.sizeBytes, licence: model.licence, licenceUrl: model.licenceUrl, target: resolved.path, reason, present: resolved.present };
}

export async function modelStatus(runtime: ApiRuntime): Promise<ModelStatus> {
  const { model } = runtime;
  await model.ready?.().catch(() => undefined); // provider auto: which source it found
  const base = { provider: model.provider, host: model.location, cloud: isRemoteModel(runtime.config.model) };
  try {
    const models = await model.listModels(AbortSignal.timeout(5000));
    const present = models.some((m) => sameModel(m.name, model.model));
    // While a run waits for the model to load, say so at once; the details follow when it is in memory.
    const loading = present && (await isLoading(runtime, model));
    // The embedded engine loads the model to say its context (the first run needs it loaded anyway).
    const info = present && !loading ? await model.info(AbortSignal.timeout(model.provider === 'embedded' ? 120_000 : 5000)).catch(() => undefined) : undefined;
    const details = info ? { contextWindow: info.contextWindow, contextSource: info.contextSource, tools: info.supportsTools } : {};
    return { ...base, model: model.model, reachable: true, present, ...details, ...(loading ? { loading } : {}), ...(present ? {} : { error: notServed(model, models.map((m) => m.name)) }) };
  } catch (error) {
    return { ...base, model: model.model, reachable: false, present: false, error: errorMessage(error) };
  }
}

/** A run is waiting on the model while the server does not hold it in memory yet: it is loading it. */
async function isLoading(runtime: ApiRuntime, model: ModelClient): Promise<boolean> {
  if (!model.isLoaded || !runtime.listRuns().some((run) => runtime.isLive(run.runId))) return false;
  return !(await model.isLoaded(AbortSignal.timeout(3000)).catch(() => true));
}

/** The model is not among those the source has: say what it has and how to add it. */
export function notServed(model: ModelClient, served: string[]): string {
  const has = served.length ? ` (it has: ${served.join(', ')})` : '';
  return `model "${model.model}" is not available at ${model.location || model.provider}${has} — ${model.howToAdd?.(model.model) ?? 'add it there, or set model.name'}`;
}

/**
 * Every configured source — `model:` and each entry under `providers:` — with its models, context windows and tool
 * support; with provider auto also the other local sources that answer and the embedded engine.
 */
async function modelSources(runtime: ApiRuntime): Promise<ModelSource[]> {
  const { config } = runtime;
  const entries: [string, ModelConfig, ModelClient?][] = [['model', config.model], ...Object.entries(config.providers)];
  const own: ModelClient[] = [];
  if (config.model.provider === 'auto') {
    await runtime.model.ready?.();
    for (const { config: found } of await detectSources(config.model, probeTargets())) {
      const kind = found.provider;
      if (kind === runtime.model.provider || kind === 'openai_compatible' || entries.some(([id]) => id === kind)) continue;
      const client = kind === 'embedded' ? new EmbeddedProvider(embeddedConfig(config.model), { dataDir: config.dataDir }) : undefined;
      if (client) own.push(client);
      entries.push([kind, found, client]);
    }
  }
  try {
    return await Promise.all(entries.map(([id, source, client]) => oneSource(runtime, id, source, client)));
  } finally {
    await Promise.all(own.map((client) => client.close?.()));
  }
}

async function oneSource(runtime: ApiRuntime, id: string, source: ModelConfig, given?: ModelClient): Promise<ModelSource> {
  const cloud = isRemoteModel(source);
  let client: ModelClient;
  try {
    client = given ?? (id === 'model' ? runtime.model : runtime.modelFor(`${id}:`));
  } catch (error) {
    return { id, provider: source.provider, ...(source.base_url ? { baseUrl: source.base_url } : {}), cloud, reachable: false, error: errorMessage(error), models: [] };
  }
  await client.ready?.();
  const head = { id, provider: client.provider, ...(client.location && client.provider !== 'embedded' ? { baseUrl: client.location } : {}), cloud };
  try {
    const listed = await client.listModels(AbortSignal.timeout(10_000));
    // The embedded engine would load a model to answer: its listing says enough.
    const info = client.provider === 'embedded' ? undefined : await client.info(AbortSignal.timeout(10_000)).catch(() => undefined);
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
