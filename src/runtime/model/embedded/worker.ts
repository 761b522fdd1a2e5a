// Entry of the embedded engine's worker process: llama.cpp through node-llama-cpp, for its parent over IPC. A model
// that crashes or runs the machine out of memory ends this process only; the parent fails the call and starts a new
// worker for the next one. Nothing here downloads or compiles: only binaries already installed are used.
import type { ChatHistoryItem, ChatModelFunctions, GbnfJsonSchema, Llama, LlamaChat, LlamaContext, LlamaEmbeddingContext, LlamaGrammar, LlamaModel } from 'node-llama-cpp';
import { linkToParent } from '../../workers/index.ts';
import type { ChatRequestMessage, EngineErrorKind, EngineModelInfo, FromEngine, LoadSpec, ToEngine } from './protocol.ts';

/** Without num_ctx: the model's own length, but never more than this (a CPU prompt of 32K tokens takes minutes). */
export const DEFAULT_MAX_CONTEXT = 8192;
const EMBEDDING_MAX_CONTEXT = 2048;

const { send } = linkToParent<FromEngine>('embedded model engine');
process.on('message', (message: ToEngine) => void receive(message));
const nlc = await import('node-llama-cpp');
/** model.gpu, passed by the parent: false (the default install's CPU build) or a GPU build to use when installed. */
const gpuSetting = process.env.REIN_ENGINE_GPU || 'false';
const llama: Llama = await nlc.getLlama({
  gpu: gpuSetting === 'false' ? false : (gpuSetting as 'auto' | 'cuda' | 'vulkan' | 'metal'),
  // Never build from source or download at run time: the installed prebuilt binary (CPU unless a GPU build was added).
  build: 'never',
  skipDownload: true,
  progressLogs: false,
  logLevel: nlc.LlamaLogLevel.error,
});

interface ChatModel {
  context: LlamaContext;
  chat: LlamaChat;
  info: EngineModelInfo;
  /** One generation at a time per model (its one context sequence). */
  queue: Promise<unknown>;
}

const models = new Map<string, Promise<LlamaModel>>();
const chats = new Map<string, Promise<ChatModel>>();
const embedders = new Map<string, Promise<LlamaEmbeddingContext>>();
const grammars = new Map<string, Promise<LlamaGrammar>>();
const running = new Map<number, AbortController>();

class EngineFailure extends Error {
  readonly kind: EngineErrorKind;
  constructor(kind: EngineErrorKind, message: string) {
    super(message);
    this.kind = kind;
  }
}

async function receive(message: ToEngine): Promise<void> {
  if (message.type === 'abort') return void running.get(message.id)?.abort(new EngineFailure('aborted', 'aborted'));
  if (message.type === 'unload') return unload(message.path);
  const controller = new AbortController();
  running.set(message.id, controller);
  try {
    if (message.type === 'load') send({ type: 'loaded', id: message.id, info: (await chatModel(message.model)).info });
    else if (message.type === 'embed') send({ type: 'vectors', id: message.id, vectors: await embed(message.model, message.texts) });
    else await chat(message, controller.signal);
  } catch (error) {
    const failure = asFailure(error, controller.signal);
    send({ type: 'error', id: message.id, kind: failure.kind, message: failure.message });
  } finally {
    running.delete(message.id);
  }
}

function loadModel(path: string): Promise<LlamaModel> {
  let model = models.get(path);
  if (!model) {
    model = llama.loadModel({ modelPath: path }).catch((error: unknown) => {
      models.delete(path);
      const message = error instanceof Error ? error.message : String(error);
      throw new EngineFailure(/ENOENT|no such file|not found/i.test(message) ? 'not-found' : 'failed', `cannot load ${path}: ${message}`);
    });
    models.set(path, model);
  }
  return model;
}

function chatModel(spec: LoadSpec): Promise<ChatModel> {
  const key = `${spec.path}\n${spec.contextSize ?? 'auto'}\n${spec.threads}`;
  let entry = chats.get(key);
  if (!entry) {
    entry = (async () => {
      const model = await loadModel(spec.path);
      const context = await model.createContext({
        contextSize: spec.contextSize ?? { min: 512, max: Math.min(model.trainContextSize || DEFAULT_MAX_CONTEXT, DEFAULT_MAX_CONTEXT) },
        threads: spec.threads,
        sequences: 1,
      });
      const chat = new nlc.LlamaChat({ contextSequence: context.getSequence() });
      const info: EngineModelInfo = {
        contextSize: context.contextSize,
        trainContextSize: model.trainContextSize,
        nativeTools: callsFunctionsNatively(chat),
        wrapper: chat.chatWrapper.wrapperName,
      };
      return { context, chat, info, queue: Promise.resolve() };
    })();
    entry.catch(() => chats.delete(key));
    chats.set(key, entry);
  }
  return entry;
}

/** A wrapper with its own function-call syntax (Qwen's <tool_call>, Llama 3.1's, …), not node-llama-cpp's generic one. */
function callsFunctionsNatively(chat: LlamaChat): boolean {
  const text = (value: unknown) => (typeof value === 'string' ? value : nlc.LlamaText(value as string).toString());
  return text(chat.chatWrapper.settings.functions.call.prefix) !== text(nlc.ChatWrapper.defaultSettings.functions.call.prefix);
}

async function chat(request: ChatRequestMessage, signal: AbortSignal): Promise<void> {
  const model = await chatModel(request.model);
  const run = model.queue.then(() => generate(model, request, signal));
  model.queue = run.catch(() => undefined);
  await run;
}

async function generate(model: ChatModel, request: ChatRequestMessage, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted();
  const { id } = request;
  const meter = model.chat.sequence.tokenMeter;
  const before = meter.getState();
  let generated = false;
  const grammar = request.jsonSchema ? await grammarFor(request.jsonSchema) : undefined;
  // The reply may use the room the prompt leaves, never more: a full context is an error, not a silent cut.
  const { contextText } = model.chat.chatWrapper.generateContextState({
    chatHistory: request.history as ChatHistoryItem[],
    ...(request.functions ? { availableFunctions: request.functions as unknown as ChatModelFunctions } : {}),
  });
  const promptTokens = contextText.tokenize(model.chat.model.tokenizer).length;
  const room = model.info.contextSize - promptTokens - 1;
  if (room < 1) throw new EngineFailure('overflow', `the prompt (${promptTokens} tokens) does not fit the context of ${model.info.contextSize} tokens`);
  const options = {
    signal,
    temperature: request.temperature,
    maxTokens: Math.min(room, request.maxTokens ?? room),
    ...(request.think === false ? { budgets: { thoughtTokens: 0 } } : {}),
    // A prompt that does not fit is an error (the harness compacts and retries), never silently cut.
    contextShift: { strategy: () => { throw new EngineFailure('overflow', `the prompt does not fit the context of ${model.info.contextSize} tokens`); } },
    onResponseChunk: (chunk: { type?: string; text: string }) => {
      if (!chunk.text) return;
      generated = true;
      send({ type: 'text', id, kind: chunk.type === 'segment' ? 'thinking' : 'text', text: chunk.text });
    },
  };
  let stopReason = 'stop';
  try {
    const history = request.history as ChatHistoryItem[];
    const response = request.functions
      ? await model.chat.generateResponse(history, { ...options, functions: request.functions as unknown as ChatModelFunctions })
      : await model.chat.generateResponse(history, { ...options, ...(grammar ? { grammar } : {}) });
    for (const call of response.functionCalls ?? []) send({ type: 'call', id, name: call.functionName, params: call.params });
    stopReason = response.metadata.stopReason === 'maxTokens' ? 'length' : response.metadata.stopReason === 'functionCalls' ? 'tool_calls' : 'stop';
  } catch (error) {
    // The context filled up while answering: what was streamed stands, cut where the room ended.
    if (!(error instanceof EngineFailure && error.kind === 'overflow' && generated)) throw error;
    stopReason = 'length';
  }
  const after = meter.getState();
  send({
    type: 'done',
    id,
    promptTokens: after.usedInputTokens - before.usedInputTokens,
    completionTokens: after.usedOutputTokens - before.usedOutputTokens,
    stopReason,
    info: model.info,
  });
}

function grammarFor(schema: Record<string, unknown>): Promise<LlamaGrammar> {
  const key = JSON.stringify(schema);
  let grammar = grammars.get(key);
  if (!grammar) {
    // The schema is only known at run time (the tools of the run): node-llama-cpp's typing wants a literal.
    const create = llama.createGrammarForJsonSchema.bind(llama) as (schema: GbnfJsonSchema) => Promise<LlamaGrammar>;
    grammar = create(schema as GbnfJsonSchema);
    grammar.catch(() => grammars.delete(key));
    grammars.set(key, grammar);
  }
  return grammar;
}

async function embed(spec: LoadSpec, texts: string[]): Promise<number[][]> {
  let context = embedders.get(spec.path);
  if (!context) {
    context = loadModel(spec.path).then((model) =>
      model.createEmbeddingContext({ contextSize: Math.min(model.trainContextSize || EMBEDDING_MAX_CONTEXT, EMBEDDING_MAX_CONTEXT), threads: spec.threads }),
    );
    context.catch(() => embedders.delete(spec.path));
    embedders.set(spec.path, context);
  }
  const ready = await context;
  const vectors: number[][] = [];
  for (const text of texts) {
    // A text longer than the embedding context is cut to it (its beginning carries the meaning searched for).
    const tokens = ready.model.tokenize(text).slice(0, ready.model.trainContextSize > 0 ? Math.min(ready.model.trainContextSize, EMBEDDING_MAX_CONTEXT) - 2 : undefined);
    vectors.push([...(await ready.getEmbeddingFor(tokens)).vector]);
  }
  return vectors;
}

async function unload(path: string): Promise<void> {
  for (const [key, entry] of chats) {
    if (!key.startsWith(`${path}\n`)) continue;
    chats.delete(key);
    await (await entry.catch(() => undefined))?.context.dispose();
  }
  const embedder = embedders.get(path);
  embedders.delete(path);
  await (await embedder?.catch(() => undefined))?.dispose();
  const model = models.get(path);
  models.delete(path);
  await (await model?.catch(() => undefined))?.dispose();
}

function asFailure(error: unknown, signal: AbortSignal): EngineFailure {
  if (signal.aborted) return new EngineFailure('aborted', 'aborted');
  if (error instanceof EngineFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/context size|does not fit|too long/i.test(message)) return new EngineFailure('overflow', message);
  return new EngineFailure('failed', message);
}

send({ type: 'ready', gpu: llama.gpu });
