// `rein doctor`'s model checks, for whichever provider is configured: the server, the model, the embedding model,
// the context window (and where it came from) and tool calling; then each other source under `providers:`.
import { Runtime, errorMessageOf, isRemoteModel, modelStatus, sameModel, type ModelClient, type ModelInfo, type ReinConfig } from '../../runtime/index.ts';

export interface Check {
  ok: boolean;
  /** Works, but with less than it could (e.g. no embedding model: recall by text only). */
  warn?: boolean;
  label: string;
  fix?: string;
}

const signal = () => AbortSignal.timeout(10_000);

export async function modelChecks(config: ReinConfig): Promise<Check[]> {
  const runtime = new Runtime({ config, trace: false, retry: { retries: 0 }, extensions: [] });
  try {
    await runtime.model.ready?.().catch(() => undefined); // provider auto: the source it finds
    const found = config.model.provider === 'auto' ? [{ ok: true, label: `model source: ${runtime.model.provider === 'embedded' ? 'the embedded engine' : `${runtime.model.provider} at ${runtime.model.location}`} (found automatically: no provider in rein.yaml)` }] : [];
    const checks = [...found, ...(runtime.model.provider === 'embedded' ? await embeddedChecks(runtime) : await defaultModel(config, runtime.model))];
    for (const id of Object.keys(config.providers)) checks.push(await otherSource(runtime, id));
    return checks;
  } finally {
    await runtime.close();
  }
}

async function defaultModel(config: ReinConfig, model: ModelClient): Promise<Check[]> {
  const ollama = model.provider === 'ollama';
  const checks: Check[] = [];
  try {
    const models = await model.listModels(signal());
    // Ollama's /api/show fails for a model that is not pulled: the listing below says so.
    const info = await model.info(signal()).catch(() => undefined);
    const server = serverName(model, info);
    const cloud = isRemoteModel(config.model) ? ' — cloud: prompts leave this machine' : '';
    checks.push({ ok: true, label: `${server} reachable at ${model.location} (${models.length} model${models.length === 1 ? '' : 's'} ${ollama ? 'installed' : 'served'})${cloud}` });
    if (!models.some((m) => sameModel(m.name, model.model))) {
      const installed = models.length ? ` ${ollama ? 'Installed' : 'It serves'}: ${models.map((m) => m.name).join(', ')}.` : '';
      const fix = ollama ? `ollama pull ${model.model}` : (model.howToAdd?.(model.model) ?? `load ${model.model} there`);
      checks.push({ ok: false, label: `model ${model.model} is not ${ollama ? 'pulled' : `served by ${server}`}`, fix: `${fix}, or set model.name in rein.yaml.${installed}` });
      return checks;
    }
    checks.push({ ok: true, label: `model ${model.model} is ${ollama ? 'pulled' : 'served'}${config.model.name ? '' : ' (the one the server serves: model.name is not set)'}` });
    const embed = config.memory.embed_model;
    const embedFix = ollama ? `ollama pull ${embed}, or set memory.embed_model` : `set memory.embed_model to an embedding model ${server} serves`;
    checks.push(
      models.some((m) => sameModel(m.name, embed))
        ? { ok: true, label: `embedding model ${embed} is ${ollama ? 'pulled' : 'served'} (memory recall by meaning and text)` }
        : { ok: true, warn: true, label: `embedding model ${embed} is not ${ollama ? 'pulled' : 'served'} — memory recall uses text search only`, fix: embedFix },
    );
    if (info) checks.push(contextCheck(info, ollama, server), toolCheck(info));
  } catch (error) {
    const fix = ollama
      ? `install Ollama (https://ollama.com/download), run \`ollama serve\`, or set model.host / OLLAMA_HOST (now ${model.location})`
      : `start the server as said above, or correct model.base_url in rein.yaml (now ${model.location})`;
    checks.push({ ok: false, label: errorMessageOf(error), fix });
  }
  return checks;
}

/** The embedded engine: where its models are, whether the model is downloaded (and how to get it), what it created. */
async function embeddedChecks(runtime: Runtime): Promise<Check[]> {
  const status = await modelStatus(runtime);
  const checks: Check[] = [{ ok: true, label: `embedded engine: GGUF models in ${status.host}` }];
  if (!status.present) {
    const fix = `rein models pull ${status.model}, or start Ollama / LM Studio (Rein finds them on their usual ports when no provider is set)`;
    return [...checks, { ok: false, label: `model ${status.model} is not downloaded`, fix }];
  }
  if (status.error) return [...checks, { ok: false, label: status.error }];
  checks.push({ ok: true, label: `model ${status.model}: context ${status.contextWindow} tokens (${status.contextSource === 'configured' ? 'model.num_ctx' : 'as the engine created it'})` });
  if (status.tools !== undefined) checks.push({ ok: true, label: status.tools ? 'tool calling: native (the model template has tool calls)' : 'tool calling: not native — Rein uses its JSON-schema fallback protocol' });
  return checks;
}

function contextCheck(info: ModelInfo, ollama: boolean, server: string): Check {
  const max = info.maxContextLength ? ` (model maximum ${info.maxContextLength})` : '';
  if (ollama) return { ok: true, label: `context: num_ctx ${info.contextWindow}${max}` };
  if (info.contextSource === 'default') {
    return { ok: true, warn: true, label: `context: ${server} does not report it — Rein assumes ${info.contextWindow} tokens`, fix: 'set model.num_ctx to the context the server runs with' };
  }
  const from = info.contextSource === 'configured' ? 'model.num_ctx' : `as ${server} runs the model`;
  return { ok: true, label: `context: ${info.contextWindow} tokens (${from})${max}` };
}

function toolCheck(info: ModelInfo): Check {
  return info.supportsTools
    ? { ok: true, label: `tool calling: native (capabilities: ${info.capabilities.join(', ') || 'unknown'})` }
    : { ok: true, label: 'tool calling: not native — Rein uses its JSON-schema fallback protocol', fix: 'for better tool use pick a model that calls tools (e.g. qwen3:4b)' };
}

/** One line per extra source: reachable with its models, or why not. */
async function otherSource(runtime: Runtime, id: string): Promise<Check> {
  try {
    const client = runtime.modelFor(`${id}:`);
    const models = await client.listModels(signal());
    const info = await client.info(signal()).catch(() => undefined);
    return { ok: true, label: `providers.${id}: ${serverName(client, info)} reachable at ${client.location} (${models.length} model${models.length === 1 ? '' : 's'})` };
  } catch (error) {
    return { ok: true, warn: true, label: `providers.${id}: ${errorMessageOf(error)}`, fix: `start it, or correct providers.${id} in rein.yaml (--model ${id}:<name> needs it)` };
  }
}

function serverName(model: ModelClient, info: ModelInfo | undefined): string {
  if (model.provider === 'ollama') return 'Ollama';
  return info?.server ?? (model.provider === 'openai_compatible' ? 'the OpenAI-compatible server' : model.provider);
}
