// The embedded engine as a ModelClient: llama.cpp (node-llama-cpp) in a worker process, on a GGUF file named by
// `model.name` (a path, an hf: URI, a URL or a catalog name), downloaded into <data dir>/models with consent.
import path from 'node:path';
import { dataDir as defaultDataDir, type ModelConfig } from '../../config/index.ts';
import { PromptCalibration, toolTokens } from '../calibration.ts';
import { fitToContext } from '../context-fit.ts';
import { ModelNotFoundError } from '../errors.ts';
import { parseProtocolReply, toProtocolMessages } from '../format-protocol.ts';
import { ThinkSplitter } from '../think-splitter.ts';
import type { ChatMessage, ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelListing, PullProgress, ToolSpec } from '../types.ts';
import { acquireEngine, type EngineLaunch, type EngineProcess } from './engine.ts';
import { downloadModel, formatBytes } from './download.ts';
import { protocolGrammarSchema, toGrammarSchema } from './grammar-schema.ts';
import { toHistory } from './history.ts';
import type { EngineModelInfo, LoadSpec } from './protocol.ts';
import { ModelStore, type ResolvedModel } from './store.ts';
import { defaultThreads } from './threads.ts';

export interface EmbeddedProviderOptions {
  /** Models live in <dataDir>/models (default: the data dir of the environment). */
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  /** The engine's worker script and Node (tests, packaged builds). */
  engine?: Omit<EngineLaunch, 'gpu'>;
}

export class EmbeddedProvider implements ModelClient {
  readonly provider = 'embedded';
  readonly location: string;
  readonly store: ModelStore;
  private readonly config: ModelConfig;
  private readonly launch: EngineLaunch;
  private held: { engine: EngineProcess; release: () => Promise<void> } | undefined;
  private infoPromise: { path: string; promise: Promise<ModelInfo> } | undefined;
  private readonly calibration = new PromptCalibration();
  readonly threads: number;

  constructor(config: ModelConfig, options: EmbeddedProviderOptions = {}) {
    this.config = config;
    const env = options.env ?? process.env;
    this.store = new ModelStore(path.join(options.dataDir ?? defaultDataDir(env), 'models'), env);
    this.location = this.store.dir;
    this.threads = config.threads ?? defaultThreads();
    this.launch = { gpu: config.gpu ?? false, ...options.engine };
  }

  /** The model's name as shown: the catalog name, the file, or the path as configured. */
  get model(): string {
    return this.resolve()?.name ?? this.config.name;
  }

  /** The engine's worker process id, while one runs (tests, diagnostics). */
  get enginePid(): number | undefined {
    return this.held?.engine.pid;
  }

  /** Where the model is and whether it is downloaded. */
  resolve(): ResolvedModel | undefined {
    return this.store.resolve(this.config.name);
  }

  info(signal?: AbortSignal): Promise<ModelInfo> {
    let model: ResolvedModel;
    try {
      model = this.present();
    } catch (error) {
      return Promise.reject(error as Error);
    }
    if (this.infoPromise?.path !== model.path) {
      const promise = this.engine()
        .load(this.spec(model), signal)
        .then((info) => this.toInfo(model, info));
      promise.catch(() => {
        if (this.infoPromise?.promise === promise) this.infoPromise = undefined;
      });
      this.infoPromise = { path: model.path, promise };
    }
    return this.infoPromise.promise;
  }

  /** Whether the configured model is in the worker's memory (not while it loads, nor after the idle worker ended). */
  isLoaded(): Promise<boolean> {
    try {
      return Promise.resolve(this.held?.engine.holds(this.present().path) ?? false);
    } catch {
      return Promise.resolve(false);
    }
  }

  estimateTokens(messages: readonly ChatMessage[], tools: readonly ToolSpec[] = []): number {
    return this.calibration.estimate(messages, tools);
  }

  async *chat(request: ChatRequest): AsyncIterable<ModelChunk> {
    const info = await this.info(request.signal);
    const model = this.present();
    const tools = request.tools ?? [];
    const native = tools.length === 0 || info.supportsTools;
    const reserve = Math.min(request.maxReplyTokens ?? 2048, Math.floor(info.contextWindow / 4));
    // Last resort only (memory compacts long before): the prompt, tools included, must fit the context.
    const room = Math.floor((info.contextWindow - reserve) / this.calibration.scale) - (native ? toolTokens(tools) : 0);
    const fitted = fitToContext(request.messages, Math.max(256, room)).messages;
    const messages = native ? fitted : toProtocolMessages(fitted, tools);
    const expected = this.calibration.sending(messages, native ? tools : []);
    const maxTokens = request.maxReplyTokens ?? this.config.max_tokens;
    const stream = this.engine().chat(
      {
        model: this.spec(model),
        history: toHistory(messages),
        ...(native && tools.length ? { functions: Object.fromEntries(tools.map((t) => [t.name, { description: t.description, params: toGrammarSchema(t.parameters) }])) } : {}),
        ...(!native ? { jsonSchema: protocolGrammarSchema(tools) } : {}),
        ...(maxTokens ? { maxTokens } : {}),
        temperature: this.config.temperature,
        ...(this.config.think === false ? { think: false } : {}),
      },
      request.signal,
    );
    const splitter = new ThinkSplitter();
    let protocolBuffer = '';
    let calls = 0;
    for await (const message of stream) {
      if (message.type === 'text') {
        if (message.kind === 'thinking') yield { type: 'thinking', text: message.text };
        else if (!native) protocolBuffer += message.text;
        else for (const piece of splitter.push(message.text)) yield { type: piece.kind, text: piece.text };
      } else if (message.type === 'call') {
        yield { type: 'tool_call', call: { id: `call_${++calls}`, name: message.name, arguments: message.params ?? {} } };
      } else if (message.type === 'done') {
        for (const piece of splitter.flush()) yield { type: piece.kind, text: piece.text };
        if (!native) {
          const reply = parseProtocolReply(protocolBuffer, `call_${++calls}`);
          yield reply.kind === 'tool' ? { type: 'tool_call', call: reply.call } : { type: 'text', text: reply.text };
        }
        this.calibration.observe(expected, message.promptTokens);
        yield { type: 'done', usage: { promptTokens: message.promptTokens, completionTokens: message.completionTokens }, doneReason: message.stopReason };
      }
    }
  }

  /** Downloaded models (and the configured file, when it lives elsewhere). */
  listModels(): Promise<ModelListing[]> {
    const listed: ModelListing[] = this.store.list().map((m) => ({ name: m.name, sizeBytes: m.sizeBytes }));
    const own = this.resolve();
    if (own?.present && !listed.some((m) => m.name === own.name)) listed.push({ name: own.name });
    return Promise.resolve(listed);
  }

  /**
   * Embeddings from the model `name` names (memory.embed_model: `nomic-embed-text` is the catalog's GGUF of it);
   * a model that is not downloaded is an error the memory turns into text-only recall.
   */
  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    return this.engine().embed(this.spec(this.present()), texts, signal);
  }

  /** Downloads a model into <data dir>/models: `name` is a catalog name, an hf: URI or an https URL. */
  async pull(name: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const model = this.store.resolve(name);
    if (!model) throw new ModelNotFoundError(`unknown model "${name}": use a recommended name (${recommendedNames()}), hf:<org>/<repo>/<file>.gguf or an https URL of a .gguf file`);
    if (!model.download) throw new ModelNotFoundError(`${name} is a file path: there is nothing to download (put the GGUF file there, or pull a model by name, hf: URI or URL)`);
    if (model.present) {
      onProgress({ status: `already downloaded: ${model.path}` });
      return;
    }
    await downloadModel({
      url: model.download.url,
      target: model.path,
      ...(model.download.sha256 ? { sha256: model.download.sha256 } : {}),
      ...(model.download.sizeBytes ? { sizeBytes: model.download.sizeBytes } : {}),
      onProgress,
      ...(signal ? { signal } : {}),
    });
  }

  /** Deletes a downloaded model (its partial download too). */
  async remove(name: string): Promise<void> {
    const target = this.store.resolve(name);
    const removed = this.store.remove(name);
    if (!removed) throw new ModelNotFoundError(`${name} is not downloaded in ${this.store.dir}${target && path.dirname(target.path) !== this.store.dir ? ' (Rein removes only the models it downloaded)' : ''}`);
    this.held?.engine.unload(removed);
    this.infoPromise = undefined;
    return Promise.resolve();
  }

  async close(): Promise<void> {
    const held = this.held;
    this.held = undefined;
    this.infoPromise = undefined;
    await held?.release();
  }

  private engine(): EngineProcess {
    this.held ??= acquireEngine(this.launch);
    return this.held.engine;
  }

  /** The model's file, or a clear error saying how to get it. */
  private present(): ResolvedModel {
    const model = this.resolve();
    if (!model) {
      throw new ModelNotFoundError(
        `model.name "${this.config.name}" is not a GGUF file, an hf:<org>/<repo>/<file>.gguf URI, an https URL or a recommended model (${recommendedNames()})`,
      );
    }
    if (model.present) return model;
    if (!model.download) throw new ModelNotFoundError(`no GGUF file at ${model.path} (model.name)`);
    const about = [model.download.sizeBytes ? formatBytes(model.download.sizeBytes) : undefined, model.download.licence ? `licence ${model.download.licence}` : undefined].filter(Boolean).join(', ');
    throw new ModelNotFoundError(
      `model ${model.name} is not downloaded — download it with \`rein models pull ${model.name}\`${about ? ` (${about})` : ''} into ${this.store.dir}, or with the desktop app's Download button`,
    );
  }

  /** What the user runs to get a model here. */
  howToAdd(name: string): string {
    return `run \`rein models pull ${name}\``;
  }

  private spec(model: ResolvedModel): LoadSpec {
    return { path: model.path, threads: this.threads, ...(this.config.num_ctx ? { contextSize: this.config.num_ctx } : {}) };
  }

  private toInfo(model: ResolvedModel, info: EngineModelInfo): ModelInfo {
    return {
      name: model.name,
      contextWindow: info.contextSize,
      // The context the engine created: num_ctx when configured, else what it fitted.
      contextSource: this.config.num_ctx ? 'configured' : 'server',
      maxContextLength: info.trainContextSize,
      capabilities: ['completion', ...(info.nativeTools ? ['tools'] : []), `template: ${info.wrapper}`],
      supportsTools: info.nativeTools,
    };
  }
}

function recommendedNames(): string {
  return 'qwen3-4b, qwen3-8b, nomic-embed-text';
}
