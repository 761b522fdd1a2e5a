// Which OpenAI-compatible server this is (flavor auto) and what it says about a model's context window — each server
// in its own place: llama.cpp's /props, vLLM's max_model_len, LM Studio's own models endpoint, Ollama's /api/ps.
import type { ModelListing } from '../types.ts';
import type { KnownFlavor } from './flavors.ts';
import type { JsonResponse, OpenAiHttp } from './http.ts';

export interface ModelFacts {
  /** The context the server runs the model with (what a prompt must fit). */
  contextWindow?: number;
  /** The model's own maximum. */
  maxContextLength?: number;
  tools?: boolean;
  loaded?: boolean;
}

interface ListedModel {
  id?: unknown;
  owned_by?: unknown;
  max_model_len?: unknown;
  meta?: { n_ctx_train?: unknown; n_ctx?: unknown };
}

/** /v1/models as listings, with what the entries themselves say (vLLM's max_model_len, llama.cpp's meta). */
export function listingsOf(response: JsonResponse): ModelListing[] {
  return entries(response).flatMap((entry) => {
    if (typeof entry.id !== 'string') return [];
    const window = num(entry.max_model_len) ?? num(entry.meta?.n_ctx);
    return [{ name: entry.id, ...(window ? { contextWindow: window } : {}) }];
  });
}

/** LM Studio's own listing says per model what /v1/models does not: loaded or not, its context, tool training. */
export async function enrichListings(http: OpenAiHttp, flavor: KnownFlavor | undefined, models: ModelListing[], signal?: AbortSignal): Promise<ModelListing[]> {
  if (flavor !== 'lmstudio') return models;
  const v1 = await http.probe('/api/v1/models', signal, { root: true });
  const v0 = v1 ? undefined : await http.probe('/api/v0/models', signal, { root: true });
  const facts = new Map<string, ModelFacts>();
  if (isRecord(v1?.body) && Array.isArray(v1.body.models)) {
    for (const entry of v1.body.models.filter(isRecord)) if (typeof entry.key === 'string') facts.set(entry.key, lmStudioV1Facts(entry));
  } else if (isRecord(v0?.body) && Array.isArray(v0.body.data)) {
    for (const entry of v0.body.data.filter(isRecord)) if (typeof entry.id === 'string') facts.set(entry.id, lmStudioV0Facts(entry));
  }
  return models.map((m) => {
    const known = facts.get(m.name);
    if (!known) return m;
    return { ...m, ...(known.contextWindow ? { contextWindow: known.contextWindow } : {}), ...(known.tools !== undefined ? { tools: known.tools } : {}), ...(known.loaded !== undefined ? { loaded: known.loaded } : {}) };
  });
}

/** Recognises the server from its /v1/models answer, else by asking the endpoints only one kind has. */
export async function detectFlavor(http: OpenAiHttp, models: JsonResponse | undefined, signal?: AbortSignal): Promise<KnownFlavor | undefined> {
  const fromList = models ? flavorOfListing(models) : undefined;
  if (fromList) return fromList;
  const probes: [KnownFlavor, Promise<boolean>][] = [
    ['llamacpp', http.probe('/props', signal, { root: true }).then((r) => isRecord(r?.body) && 'default_generation_settings' in r.body)],
    ['lmstudio', http.probe('/api/v0/models', signal, { root: true }).then((r) => isRecord(r?.body) && Array.isArray(r.body.data) && r.body.data.some((m) => isRecord(m) && 'state' in m))],
    ['ollama', http.probe('/api/version', signal, { root: true }).then((r) => isRecord(r?.body) && typeof r.body.version === 'string')],
  ];
  for (const [flavor, found] of probes) if (await found) return flavor;
  const port = new URL(http.baseUrl).port;
  if (port === '1337') return 'jan';
  const version = await http.probe('/version', signal, { root: true });
  if (isRecord(version?.body) && typeof version.body.version === 'string') return 'localai';
  return undefined;
}

function flavorOfListing(response: JsonResponse): KnownFlavor | undefined {
  if (/llama\.cpp/i.test(response.headers.get('server') ?? '')) return 'llamacpp';
  const list = entries(response);
  const owners = new Set(list.map((m) => (typeof m.owned_by === 'string' ? m.owned_by.toLowerCase() : '')));
  if (owners.has('llamacpp') || list.some((m) => m.meta?.n_ctx_train !== undefined)) return 'llamacpp';
  if (owners.has('vllm') || list.some((m) => m.max_model_len !== undefined)) return 'vllm';
  if (owners.has('organization_owner')) return 'lmstudio';
  if (owners.has('library')) return 'ollama';
  if (owners.has('jan') || owners.has('cortex')) return 'jan';
  if (owners.has('localai')) return 'localai';
  return undefined;
}

/** What the server says about `model`: asked where that server keeps it. */
export async function probeModel(http: OpenAiHttp, flavor: KnownFlavor | undefined, model: string, listing: ModelListing | undefined, signal?: AbortSignal): Promise<ModelFacts> {
  switch (flavor) {
    case 'llamacpp':
    case 'jan':
      return { ...fromListing(listing), ...(await llamaCppProps(http, signal)) };
    case 'lmstudio':
      return (await lmStudioV1(http, model, signal)) ?? (await lmStudioV0(http, model, signal)) ?? fromListing(listing);
    case 'ollama':
      return ollamaLoaded(http, model, signal);
    default:
      return fromListing(listing);
  }
}

function fromListing(listing: ModelListing | undefined): ModelFacts {
  return listing?.contextWindow ? { contextWindow: listing.contextWindow } : {};
}

/** llama-server: n_ctx of a slot (the total divided among --parallel slots) is what one request gets. */
async function llamaCppProps(http: OpenAiHttp, signal?: AbortSignal): Promise<ModelFacts> {
  const props = await http.probe('/props', signal, { root: true });
  if (!isRecord(props?.body)) return {};
  const settings = isRecord(props.body.default_generation_settings) ? props.body.default_generation_settings : {};
  const perSlot = num(settings.n_ctx) ?? num(props.body.n_ctx);
  const caps = isRecord(props.body.chat_template_caps) ? props.body.chat_template_caps : {};
  return {
    ...(perSlot ? { contextWindow: perSlot } : {}),
    ...(typeof caps.supports_tools === 'boolean' ? { tools: caps.supports_tools } : {}),
    loaded: true,
  };
}

/** LM Studio ≥ 0.4: /api/v1/models has each loaded instance's context length. */
async function lmStudioV1(http: OpenAiHttp, model: string, signal?: AbortSignal): Promise<ModelFacts | undefined> {
  const response = await http.probe('/api/v1/models', signal, { root: true });
  const models = isRecord(response?.body) && Array.isArray(response.body.models) ? response.body.models.filter(isRecord) : undefined;
  if (!models) return undefined;
  const entry = models.find((m) => m.key === model) ?? models.find((m) => typeof m.key === 'string' && model.includes(m.key));
  return entry ? lmStudioV1Facts(entry) : {};
}

function lmStudioV1Facts(entry: Record<string, unknown>): ModelFacts {
  const instances = Array.isArray(entry.loaded_instances) ? entry.loaded_instances.filter(isRecord) : [];
  const loaded = instances.map((i) => (isRecord(i.config) ? num(i.config.context_length) : undefined)).find((n) => n !== undefined);
  const capabilities = isRecord(entry.capabilities) ? entry.capabilities : {};
  return {
    ...(loaded ? { contextWindow: loaded } : {}),
    ...(num(entry.max_context_length) ? { maxContextLength: num(entry.max_context_length) } : {}),
    ...(typeof capabilities.trained_for_tool_use === 'boolean' ? { tools: capabilities.trained_for_tool_use } : {}),
    loaded: instances.length > 0,
  };
}

/** LM Studio 0.3: /api/v0/models/{model} (loaded_context_length once loaded). */
async function lmStudioV0(http: OpenAiHttp, model: string, signal?: AbortSignal): Promise<ModelFacts | undefined> {
  const response = await http.probe(`/api/v0/models/${encodeURIComponent(model)}`, signal, { root: true });
  return isRecord(response?.body) ? lmStudioV0Facts(response.body) : undefined;
}

function lmStudioV0Facts(entry: Record<string, unknown>): ModelFacts {
  const loaded = entry.state === 'loaded';
  const window = num(entry.loaded_context_length) ?? (loaded ? num(entry.context_length) : undefined);
  return {
    ...(window ? { contextWindow: window } : {}),
    ...(num(entry.max_context_length) ? { maxContextLength: num(entry.max_context_length) } : {}),
    ...(Array.isArray(entry.capabilities) ? { tools: entry.capabilities.includes('tool_use') } : {}),
    loaded,
  };
}

/** Ollama's OpenAI endpoint: the context a loaded model runs with is in /api/ps. */
async function ollamaLoaded(http: OpenAiHttp, model: string, signal?: AbortSignal): Promise<ModelFacts> {
  const response = await http.probe('/api/ps', signal, { root: true });
  const models = isRecord(response?.body) && Array.isArray(response.body.models) ? response.body.models.filter(isRecord) : [];
  const names = new Set([model, model.includes(':') ? model : `${model}:latest`]);
  const entry = models.find((m) => names.has(String(m.name)) || names.has(String(m.model)));
  const window = entry ? num(entry.context_length) : undefined;
  return { ...(window ? { contextWindow: window } : {}), loaded: entry !== undefined };
}

function entries(response: JsonResponse): ListedModel[] {
  const body = response.body;
  return isRecord(body) && Array.isArray(body.data) ? (body.data.filter(isRecord) as ListedModel[]) : [];
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
