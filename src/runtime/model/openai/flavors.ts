// What Rein knows about each OpenAI-compatible server: its name, how to start it, whether it runs parallel tool calls,
// how it takes a JSON schema for replies, and how to make a model available on it.
import type { Flavor } from '../../config/index.ts';

export type KnownFlavor = Exclude<Flavor, 'auto'>;

export interface FlavorTraits {
  /** What the user calls it. */
  title: string;
  /** How to start it, for "not reachable" errors. */
  start: string;
  /** Send `parallel_tool_calls: true` (llama.cpp runs one call per turn unless asked). Others: the server's default. */
  parallelToolCalls: boolean;
  /** How a model is made available on it, for "model not found" errors. */
  addModel(name: string): string;
  /** The key is always needed (Jan), so a 401 without one says where to get it. */
  keyHint?: string;
}

/** A server that did not say what it is. */
export const GENERIC: FlavorTraits = {
  title: 'the OpenAI-compatible server',
  start: 'start it, or correct model.base_url',
  parallelToolCalls: false,
  addModel: (name) => `load ${name} on the server, or set model.name to one it serves`,
};

export const FLAVORS: Record<KnownFlavor, FlavorTraits> = {
  lmstudio: {
    title: 'LM Studio',
    start: 'start its local server (Developer → Start server, or `lms server start`)',
    parallelToolCalls: false,
    addModel: (name) => `download it in LM Studio or run \`lms get ${name}\`, then \`lms load ${name}\``,
  },
  llamacpp: {
    title: 'llama.cpp (llama-server)',
    start: 'start it, e.g. `llama-server -m model.gguf --jinja --port 8080`',
    parallelToolCalls: true,
    addModel: () => 'llama-server serves the one model given with -m (or --hf-repo); start it with the model you want',
  },
  vllm: {
    title: 'vLLM',
    start: 'start it, e.g. `vllm serve <model> --enable-auto-tool-choice --tool-call-parser hermes`',
    parallelToolCalls: true,
    addModel: (name) => `vLLM serves the models given to \`vllm serve\` (as --served-model-name); start it with ${name}`,
  },
  jan: {
    title: 'Jan',
    start: "start Jan's local API server (Settings → Local API Server → Start Server)",
    parallelToolCalls: false,
    addModel: (name) => `download ${name} in Jan's Hub and start it`,
    keyHint: "Jan's local API server needs the API key set under Settings → Local API Server: store it with `rein secrets set jan` and set model.api_key: keychain:jan",
  },
  localai: {
    title: 'LocalAI',
    start: 'start it, e.g. `local-ai run` or its container (port 8080)',
    parallelToolCalls: false,
    addModel: (name) => `install it with \`local-ai models install ${name}\` or a model YAML in its models folder`,
  },
  ollama: {
    title: 'Ollama',
    start: 'start it with `ollama serve`',
    parallelToolCalls: false,
    addModel: (name) => `run \`ollama pull ${name}\``,
  },
};

export function traitsOf(flavor: Flavor | undefined): FlavorTraits {
  return flavor && flavor !== 'auto' ? FLAVORS[flavor] : GENERIC;
}
