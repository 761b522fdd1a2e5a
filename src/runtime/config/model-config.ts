// A model source as the runtime uses it: provider, model name, server URL and key resolved from rein.yaml's
// `model:` (or a `providers.<id>:` entry), the environment and the keychain.
import { openKeychain } from '../keychain/index.ts';
import type { ConfigIssue } from './errors.ts';
import type { Flavor, ModelSection, ProviderKind, ProviderSection } from './sections/model.ts';

/** `auto`: nothing configured; the first source that answers is used (Ollama, a local OpenAI-compatible server, the embedded engine). */
export type ModelProvider = ProviderKind | 'auto';

export interface ModelConfig {
  /** Where it was configured: `model`, or the id under `providers`. */
  source: string;
  provider: ModelProvider;
  /** Empty: the provider's default (the server's loaded model, or the recommended one). */
  name: string;
  /** The server; empty for `embedded`, and for `auto` without a URL (the usual local ports are tried). */
  base_url: string;
  api_key?: string;
  flavor: Flavor;
  temperature: number;
  num_ctx?: number;
  keep_alive?: string | number;
  think?: boolean | 'low' | 'medium' | 'high';
  max_tokens?: number;
  threads?: number;
  gpu?: false | 'auto' | 'cuda' | 'vulkan' | 'metal';
}

export const DEFAULT_OLLAMA_URL = 'http://127.0.0.1:11434';
export const DEFAULT_ANTHROPIC_URL = 'https://api.anthropic.com';
/** The model an Ollama server is asked for when none is configured. */
export const DEFAULT_OLLAMA_MODEL = 'qwen3:4b';
export const DEFAULT_ANTHROPIC_MODEL = 'claude-sonnet-5-5';

/** Where each known OpenAI-compatible server listens by default. */
export const FLAVOR_BASE_URLS: Record<Exclude<Flavor, 'auto'>, string> = {
  lmstudio: 'http://127.0.0.1:1234/v1',
  llamacpp: 'http://127.0.0.1:8080/v1',
  jan: 'http://127.0.0.1:1337/v1',
  vllm: 'http://127.0.0.1:8000/v1',
  localai: 'http://127.0.0.1:8080/v1',
  ollama: 'http://127.0.0.1:11434/v1',
};

/** The keychain service `keychain:NAME` keys are read from (`rein secrets set NAME`). */
export const SECRETS_SERVICE = 'rein.secrets';

export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  /** Values taken from `${env:…}`: an api_key among them came from the environment. */
  secrets: Set<string>;
  issues: ConfigIssue[];
}

/** Resolves one section; problems go to `context.issues` (keyed by `path`, e.g. `model` or `providers.lmstudio`). */
export function resolveModelSource(section: ModelSection | ProviderSection, path: string, source: string, context: ResolveContext): ModelConfig {
  const issue = (key: string, message: string) => context.issues.push({ path: `${path}.${key}`, message });
  const { env } = context;
  if (section.host && section.base_url) issue('host', 'use base_url (host is its old name), not both');
  const url = section.base_url ?? section.host;
  const provider: ModelProvider = section.provider ?? (section.host || (!url && env.OLLAMA_HOST) ? 'ollama' : 'auto');
  if (section.flavor && provider !== 'openai_compatible') issue('flavor', 'flavor applies to provider: openai_compatible only');
  for (const key of ['threads', 'gpu'] as const) {
    if (section[key] !== undefined && provider !== 'embedded') issue(key, `${key} applies to provider: embedded only`);
  }
  const flavor = section.flavor ?? 'auto';
  let base_url = url ?? '';
  // OLLAMA_HOST overrides the configured server of `model:`, as it always did.
  if (provider === 'ollama') base_url = env.OLLAMA_HOST && source === 'model' ? normalizeHost(env.OLLAMA_HOST) : (url ?? DEFAULT_OLLAMA_URL);
  if (provider === 'anthropic') base_url = url ?? DEFAULT_ANTHROPIC_URL;
  if (provider === 'openai_compatible' && !url) {
    if (flavor === 'auto') issue('base_url', 'openai_compatible needs base_url (e.g. http://127.0.0.1:1234/v1 for LM Studio) or a flavor with a usual port');
    else base_url = FLAVOR_BASE_URLS[flavor];
  }
  if (provider === 'embedded' && url) issue('base_url', 'the embedded engine runs in Rein: it takes no base_url (name: a GGUF file, hf: URI or a recommended model)');
  const api_key = section.api_key === undefined ? (provider === 'anthropic' ? env.ANTHROPIC_API_KEY : undefined) : apiKey(section.api_key, `${path}.api_key`, context);
  if (api_key && section.api_key === undefined) context.secrets.add(api_key);
  return {
    source,
    provider,
    name: section.name ?? defaultName(provider),
    base_url: base_url.replace(/\/+$/, ''),
    ...(api_key ? { api_key } : {}),
    flavor,
    temperature: section.temperature,
    ...optional(section, ['num_ctx', 'keep_alive', 'think', 'max_tokens', 'threads', 'gpu']),
  };
}

function defaultName(provider: ModelProvider): string {
  if (provider === 'ollama') return DEFAULT_OLLAMA_MODEL;
  if (provider === 'anthropic') return DEFAULT_ANTHROPIC_MODEL;
  return '';
}

/** `${env:NAME}` (already interpolated) or `keychain:NAME`; a key typed into rein.yaml is refused, not used. */
function apiKey(value: string, path: string, context: ResolveContext): string | undefined {
  const ref = /^keychain:(.+)$/.exec(value);
  if (ref) {
    const name = ref[1]!.trim();
    const found = openKeychain({ env: context.env }).get(SECRETS_SERVICE, name);
    if (!found) {
      context.issues.push({ path, message: `no secret "${name}" in the keychain — store it with \`rein secrets set ${name}\`` });
      return undefined;
    }
    context.secrets.add(found.value);
    return found.value;
  }
  if (context.secrets.has(value)) return value;
  context.issues.push({
    path,
    message: 'an API key must not be written into rein.yaml: use ${env:NAME} (an environment variable) or keychain:NAME (`rein secrets set NAME`)',
  });
  return undefined;
}

function optional<T extends object, K extends keyof T>(section: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (section[key] !== undefined) out[key] = section[key];
  return out;
}

/** OLLAMA_HOST may be `0.0.0.0:11434`, `:11434` or a full URL, as Ollama itself accepts. */
export function normalizeHost(raw: string): string {
  let host = raw.trim();
  if (host.startsWith(':')) host = `127.0.0.1${host}`;
  if (!/^https?:\/\//.test(host)) host = `http://${host}`;
  const url = new URL(host);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (!url.port && !raw.includes('://')) url.port = '11434';
  return url.toString().replace(/\/$/, '');
}

/** Back to rein.yaml's form (a subagent's config file): only keys the provider takes; the key stays as resolved (the caller moves secrets to the environment). */
export function toModelSection(model: ModelConfig): Record<string, unknown> {
  const { source: _source, provider, flavor, base_url, ...rest } = model;
  return {
    ...(provider === 'auto' ? {} : { provider }),
    ...(base_url ? { base_url } : {}),
    ...(provider === 'openai_compatible' ? { flavor } : {}),
    ...Object.fromEntries(Object.entries(rest).filter(([key, value]) => value !== undefined && !(key === 'name' && value === ''))),
  };
}
