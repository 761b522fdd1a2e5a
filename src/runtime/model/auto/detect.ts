// Zero-setup: with no provider in rein.yaml, the first local source that answers — Ollama, else an OpenAI-compatible
// server on its usual port (LM Studio, llama.cpp's llama-server, Jan), else the embedded engine. Probes run at once
// and are short: a refused port fails in about a millisecond, a silent one after PROBE_TIMEOUT_MS.
import { DEFAULT_OLLAMA_URL, FLAVOR_BASE_URLS, type Flavor, type ModelConfig } from '../../config/index.ts';
import { DEFAULT_OLLAMA_MODEL } from '../../config/index.ts';

export const PROBE_TIMEOUT_MS = 300;

type ServerFlavor = Exclude<Flavor, 'auto'>;

export interface ProbeTargets {
  ollama: string;
  /** In order of preference. */
  openaiCompatible: { flavor: ServerFlavor; baseUrl: string }[];
  timeoutMs: number;
}

const LABELS: Partial<Record<ServerFlavor, string>> = { lmstudio: 'LM Studio', llamacpp: 'llama.cpp server', jan: 'Jan' };

export const DEFAULT_TARGETS: ProbeTargets = {
  ollama: DEFAULT_OLLAMA_URL,
  openaiCompatible: (['lmstudio', 'llamacpp', 'jan'] as const).map((flavor) => ({ flavor, baseUrl: FLAVOR_BASE_URLS[flavor] })),
  timeoutMs: PROBE_TIMEOUT_MS,
};

/**
 * Tests only: REIN_AUTO_PROBE="ollama=http://127.0.0.1:PORT,lmstudio=http://127.0.0.1:PORT/v1" replaces the usual
 * ports (a test must not find a server a developer happens to run).
 */
export function probeTargets(env: NodeJS.ProcessEnv = process.env): ProbeTargets {
  const spec = env.REIN_AUTO_PROBE;
  if (!spec) return DEFAULT_TARGETS;
  const targets: ProbeTargets = { ollama: 'http://127.0.0.1:1', openaiCompatible: [], timeoutMs: PROBE_TIMEOUT_MS };
  for (const part of spec.split(',')) {
    const [key, url] = part.split('=').map((s) => s.trim()) as [string, string | undefined];
    if (!url) continue;
    if (key === 'ollama') targets.ollama = url.replace(/\/+$/, '');
    else if (key in FLAVOR_BASE_URLS) targets.openaiCompatible.push({ flavor: key as ServerFlavor, baseUrl: url.replace(/\/+$/, '') });
  }
  return targets;
}

/** A source chosen, and the ones before it that did not answer (for the notice the user sees). */
export interface Detection {
  config: ModelConfig;
  /** e.g. "Ollama at http://127.0.0.1:11434". */
  label: string;
  tried: string[];
}

/** The first source that answers, in order of preference; the embedded engine when none does. */
export async function detectSource(config: ModelConfig, targets: ProbeTargets): Promise<Detection> {
  return (await detect(config, targets, true))[0]!;
}

/** Every source that answers, in order of preference (the embedded engine last, always). */
export function detectSources(config: ModelConfig, targets: ProbeTargets): Promise<Detection[]> {
  return detect(config, targets, false);
}

async function detect(config: ModelConfig, targets: ProbeTargets, firstOnly: boolean): Promise<Detection[]> {
  const candidates = [
    { label: `Ollama at ${targets.ollama}`, config: { ...config, provider: 'ollama' as const, base_url: targets.ollama, name: config.name || DEFAULT_OLLAMA_MODEL }, answered: probe(`${targets.ollama}/api/version`, targets.timeoutMs, (body) => typeof (body as { version?: unknown }).version === 'string') },
    ...targets.openaiCompatible.map((t) => ({
      label: `${LABELS[t.flavor] ?? t.flavor} at ${t.baseUrl}`,
      config: { ...config, provider: 'openai_compatible' as const, base_url: t.baseUrl, flavor: t.flavor },
      answered: probe(`${t.baseUrl}/models`, targets.timeoutMs, (body) => Array.isArray((body as { data?: unknown }).data)),
    })),
  ];
  const found: Detection[] = [];
  const tried: string[] = [];
  for (const candidate of candidates) {
    if (await candidate.answered) {
      found.push({ config: candidate.config, label: candidate.label, tried: [...tried] });
      if (firstOnly) return found;
    } else tried.push(candidate.label);
  }
  found.push({ config: { ...config, provider: 'embedded', base_url: '' }, label: 'the embedded engine', tried });
  return found;
}

/** GET `url`: true when it answers 200 with JSON that `accept` likes, within `timeoutMs`. */
async function probe(url: string, timeoutMs: number, accept: (body: unknown) => boolean): Promise<boolean> {
  const timeout = patientTimeout(timeoutMs);
  try {
    const response = await fetch(url, { signal: timeout.signal, headers: { accept: 'application/json' } });
    if (!response.ok) return false;
    return accept(await response.json());
  } catch {
    return false;
  } finally {
    timeout.clear();
  }
}

const TICK_MS = 25;

/**
 * Aborts after `ms` of waiting during which this process could have read an answer: time the event loop spent
 * blocked (start-up evaluating modules, opening databases) does not count, so a busy machine does not make a server
 * that answered look silent.
 */
function patientTimeout(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  let waited = 0;
  let last = performance.now();
  let timer: NodeJS.Timeout;
  const tick = () => {
    const now = performance.now();
    waited += Math.min(now - last, TICK_MS * 2);
    last = now;
    if (waited >= ms) controller.abort(new Error(`no answer within ${ms} ms`));
    else timer = setTimeout(tick, TICK_MS);
  };
  timer = setTimeout(tick, TICK_MS);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** Every URL provider auto may probe (offline mode lets these through). */
export function localProbeUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  const targets = probeTargets(env);
  return [targets.ollama, ...targets.openaiCompatible.map((t) => t.baseUrl)];
}
