// Models people can pick, from every configured source (the default `model:` and each `providers:` entry), with what
// matters when choosing: context window, native tool calls, whether it runs in the cloud; and the status in words.
import type { ModelSource, ModelStatus, ModelSummary } from '../../common/index.ts';

export interface ModelOption {
  /** What a run passes as its model. */
  ref: string;
  name: string;
  source: string;
  provider: string;
  contextWindow?: number;
  tools?: boolean;
  cloud: boolean;
  reachable: boolean;
}

/** Embedding models (nomic-embed-text, mxbai-embed-large, all-minilm, bge-…) cannot chat: not offered for it. */
const EMBEDDING = /embed|minilm|(^|[/:-])bge-|(^|[/:-])e5-/i;

export function modelOptions(sources: readonly ModelSource[]): ModelOption[] {
  return sources.flatMap((source) =>
    source.models.filter((m) => !EMBEDDING.test(m.name)).map((m: ModelSummary) => ({
      ref: m.ref ?? (source.id === 'model' ? m.name : `${source.id}:${m.name}`),
      name: m.name,
      source: source.id,
      provider: m.provider ?? source.provider,
      ...(m.contextWindow ? { contextWindow: m.contextWindow } : {}),
      ...(m.tools !== undefined ? { tools: m.tools } : {}),
      cloud: m.cloud ?? source.cloud,
      reachable: source.reachable,
    })),
  );
}

/** "32k context · tools" — what an option says besides its name. */
export function optionFacts(option: Pick<ModelOption, 'contextWindow' | 'tools' | 'cloud'>): string {
  return [
    option.contextWindow ? `${option.contextWindow >= 1024 ? `${Math.round(option.contextWindow / 1024)}k` : option.contextWindow} context` : '',
    option.tools === true ? 'tools' : option.tools === false ? 'no native tools' : '',
    option.cloud ? 'cloud' : '',
  ].filter(Boolean).join(' · ');
}

const PROVIDER_NAMES: Record<string, string> = { ollama: 'Ollama', openai_compatible: 'the model server', anthropic: 'Anthropic', embedded: 'the built-in engine', auto: 'the model server' };

export function providerName(provider: string): string {
  return PROVIDER_NAMES[provider] ?? provider;
}

/** Why nothing can be sent right now, in one sentence with what to do; undefined when the model is ready. */
export function blockedText(status: ModelStatus | undefined): string | undefined {
  if (!status) return undefined;
  if (!status.reachable) {
    const start = status.provider === 'ollama'
      ? ' — start it (`ollama serve`, or the Ollama app)'
      : status.provider === 'embedded' ? ''
      : status.provider === 'anthropic' ? ' — check the internet connection (or the gateway under Settings → Model)'
      : status.cloud ? ' — check that the server runs and this computer can reach it' : ' — start the server';
    return `${capitalize(providerName(status.provider))} is not reachable at ${status.host}${start}. Sending is paused; Rein checks again every few seconds.`;
  }
  if (!status.present) return `The model ${status.model} is not on ${providerName(status.provider)} yet — get it under Models.`;
  return undefined;
}

/** The sidebar's one-word state, from the same status as the banner (they never disagree). */
export function stateWord(status: ModelStatus): { word: string; tone: 'good' | 'warn' | 'bad' | 'pending' } {
  if (!status.reachable) return { word: 'not reachable', tone: 'bad' };
  if (!status.present) return { word: 'not downloaded', tone: 'warn' };
  if (status.loading) return { word: 'loading…', tone: 'pending' };
  return { word: 'ready', tone: 'good' };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
