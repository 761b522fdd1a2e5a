// The model client of `provider: auto` (no provider in rein.yaml): probes the local sources on first use, then
// behaves as the one it chose. When the chosen server stops answering, the next call looks again.
import { estimateMessageTokens } from '../context-fit.ts';
import { ModelNotFoundError, ModelUnreachableError } from '../errors.ts';
import type { ModelConfig } from '../../config/index.ts';
import type { ChatMessage, ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing, PullProgress, ToolSpec } from '../types.ts';
import { detectSource, detectSources, type Detection, type ProbeTargets } from './detect.ts';

export interface AutoClientOptions {
  /** Makes the client of a detected source (the factory); throws for a provider this build lacks. */
  create: (config: ModelConfig) => ModelClient;
  targets: ProbeTargets;
  /** Told which source was chosen (the runtime shows it as a notice). */
  onSelected?: (detection: Detection) => void;
}

/** Probes shared by the clients of one process for a moment (the run's model and the embedder ask together). */
const DETECTION_TTL_MS = 5_000;
const recent = new Map<string, { at: number; detection: Promise<Detection> }>();

export class AutoModelClient implements ModelClient {
  private readonly config: ModelConfig;
  private readonly options: AutoClientOptions;
  private choice: Promise<ModelClient> | undefined;
  private chosen: ModelClient | undefined;
  private detection: Detection | undefined;
  private readonly retired: ModelClient[] = [];

  constructor(config: ModelConfig, options: AutoClientOptions) {
    this.config = config;
    this.options = options;
  }

  get provider(): string {
    return this.chosen?.provider ?? 'auto';
  }

  get model(): string {
    return this.chosen?.model ?? this.config.name;
  }

  get location(): string {
    return this.chosen?.location ?? '';
  }

  /** The client of the chosen source (probing first if needed). */
  async ready(): Promise<void> {
    await this.client();
  }

  async info(signal?: AbortSignal): Promise<ModelInfo> {
    return this.watch(async () => (await this.client()).info(signal), true);
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const client = await this.client();
    try {
      yield* client.chat(request);
    } catch (error) {
      this.forgetIfGone(error);
      throw this.explain(error);
    }
  }

  async listModels(signal?: AbortSignal): Promise<ModelListing[]> {
    return this.watch(async () => (await this.client()).listModels(signal));
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    return this.watch(async () => {
      const client = await this.client();
      if (!client.embed) throw new ModelUnreachableError(`the ${client.provider} provider gives no embeddings`);
      return client.embed(texts, signal);
    });
  }

  estimateTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    if (this.chosen?.estimateTokens) return this.chosen.estimateTokens(messages, tools);
    return messages.reduce((sum, m) => sum + estimateMessageTokens(m), 0) + Math.ceil(JSON.stringify(tools).length / 4);
  }

  howToAdd(name: string): string {
    return this.chosen?.howToAdd?.(name) ?? 'add it there, or set model.name';
  }

  async pull(name: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const client = await this.client();
    if (!client.pull) throw new ModelUnreachableError(`the ${client.provider} provider cannot download models`);
    return client.pull(name, onProgress, signal);
  }

  async remove(name: string): Promise<void> {
    const client = await this.client();
    if (!client.remove) throw new ModelUnreachableError(`the ${client.provider} provider cannot remove models`);
    return client.remove(name);
  }

  async close(): Promise<void> {
    const clients = [...this.retired, ...(this.chosen ? [this.chosen] : [])];
    this.chosen = undefined;
    this.choice = undefined;
    await Promise.all(clients.map((c) => c.close?.()));
  }

  private client(): Promise<ModelClient> {
    this.choice ??= this.choose().then(
      (client) => (this.chosen = client),
      (error: unknown) => {
        this.choice = undefined;
        throw error;
      },
    );
    return this.choice;
  }

  private async choose(): Promise<ModelClient> {
    const first = await sharedDetection(this.config, this.options.targets);
    const made = this.tryCreate(first);
    if (made) return made;
    // A source this build has no provider for (e.g. openai_compatible before it lands): the next one that answers.
    for (const detection of (await detectSources(this.config, this.options.targets)).slice(1)) {
      const client = this.tryCreate(detection);
      if (client) return client;
    }
    throw new ModelUnreachableError('no local model source could be used');
  }

  private tryCreate(detection: Detection): ModelClient | undefined {
    try {
      const client = this.options.create(detection.config);
      this.detection = detection;
      this.options.onSelected?.(detection);
      return client;
    } catch {
      return undefined;
    }
  }

  /** `explain`: the run's own model (info, chat), whose absence is worth the whole story. */
  private async watch<T>(operation: () => Promise<T>, explain = false): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      this.forgetIfGone(error);
      throw explain ? this.explain(error) : error;
    }
  }

  /** Nothing answered and the embedded engine has no model: say every way out (start a server, or download). */
  private explain(error: unknown): unknown {
    if (!(error instanceof ModelNotFoundError) || this.chosen?.provider !== 'embedded' || !this.detection?.tried.length) return error;
    const reason = error.message.replace(/^model (\S+) is not downloaded — /, '');
    return new ModelNotFoundError(
      `no local model found: nothing answered at ${this.detection.tried.join(', ')}, and the embedded engine's model ${this.chosen.model} is not downloaded. Start Ollama or LM Studio (Rein finds them on their usual ports), or ${reason}`,
      { cause: error },
    );
  }

  /** A server that went away: the next call probes again (and may find another source). */
  private forgetIfGone(error: unknown): void {
    if (!(error instanceof ModelUnreachableError) || error.transient || !this.chosen || this.chosen.provider === 'embedded') return;
    this.retired.push(this.chosen);
    this.chosen = undefined;
    this.choice = undefined;
    recent.clear();
  }
}

function sharedDetection(config: ModelConfig, targets: ProbeTargets): Promise<Detection> {
  const key = JSON.stringify({ targets, name: config.name });
  const hit = recent.get(key);
  if (hit && Date.now() - hit.at < DETECTION_TTL_MS) return hit.detection;
  const detection = detectSource(config, targets);
  recent.set(key, { at: Date.now(), detection });
  return detection;
}
