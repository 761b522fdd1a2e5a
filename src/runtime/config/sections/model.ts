import { z } from 'zod';

/** The kinds of model source Rein drives; `auto` (no provider written) picks the first that answers. */
export const PROVIDER_KINDS = ['ollama', 'openai_compatible', 'anthropic', 'embedded'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** Known OpenAI-compatible servers: each selects its quirks and its context-window probe. */
export const FLAVORS = ['auto', 'llamacpp', 'vllm', 'lmstudio', 'jan', 'localai', 'ollama'] as const;
export type Flavor = (typeof FLAVORS)[number];

const serverUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

/** What a model source takes; `model:` adds the model name, `providers.<id>:` may add a default name. */
export const providerFields = {
  provider: z.enum(PROVIDER_KINDS).optional(),
  /** The server (Ollama, an OpenAI-compatible /v1 endpoint, or an Anthropic gateway). */
  base_url: serverUrl.optional(),
  /** The old name of base_url (Ollama). */
  host: serverUrl.optional(),
  /** `${env:NAME}` or `keychain:NAME` (`rein secrets set NAME`); a key written into rein.yaml is refused. */
  api_key: z.string().min(1).optional(),
  /** openai_compatible: which server it is (auto: asked at first use). */
  flavor: z.enum(FLAVORS).optional(),
  temperature: z.number().min(0).max(2).default(0.2),
  /** Context window. Unset: what the server reports it loaded (Ollama: the model's own length, capped). */
  num_ctx: z.int().min(512).max(1_048_576).optional(),
  keep_alive: z.union([z.string(), z.number()]).optional(),
  /** Reasoning for thinking models (Ollama `think`); unset: the model's default. */
  think: z.union([z.boolean(), z.enum(['low', 'medium', 'high'])]).optional(),
  /** A reply's token limit (Anthropic requires one; others: the server's default). */
  max_tokens: z.int().positive().max(1_000_000).optional(),
  /** embedded: CPU threads (default: what the machine measured best; 1 on 2 cores). */
  threads: z.int().min(1).max(256).optional(),
  /** embedded: `false` (CPU only, the default install) or a GPU build to use when installed. */
  gpu: z.union([z.literal(false), z.enum(['auto', 'cuda', 'vulkan', 'metal'])]).optional(),
};

export const modelSchema = z.strictObject({
  ...providerFields,
  /** Ollama tag, server model id, Anthropic model, or for `embedded` a GGUF path, `hf:` URI or recommended name. */
  name: z.string().min(1).optional(),
});

/** Extra model sources the model picker and `--model <id>:<name>` can name, e.g. `lmstudio: { provider: openai_compatible, base_url: … }`. */
export const providersSchema = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'a provider id is lower-case letters, digits, - and _ (e.g. lmstudio)'),
    z.strictObject({ ...providerFields, provider: z.enum(PROVIDER_KINDS), name: z.string().min(1).optional() }),
  )
  .default({});

export type ModelSection = z.output<typeof modelSchema>;
export type ProviderSection = z.output<typeof providersSchema>[string];
