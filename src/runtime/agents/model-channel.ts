// A subagent's model calls travel to its parent over their stdio MCP channel, so the child needs no network and no
// provider: the parent's model client (its provider, policy and audit) answers them. Chat turns are MCP sampling
// requests (`sampling/createMessage`, with Rein's exact request and reply carried in `_meta`, as elicitation does
// for questions); the model's details are one request of Rein's own.
import type { CreateMessageRequest, CreateMessageResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Usage } from '../../common/index.ts';
import type { ChatMessage, ChatRequest, ModelChunk, ModelClient, ModelInfo, ModelToolCall, ProviderReplay, ToolSpec } from '../model/index.ts';
import { SubagentError } from './errors.ts';

export const CHAT_META = 'rein/chat';
export const REPLY_META = 'rein/reply';
export const MODEL_INFO_METHOD = 'rein/model/info';
export const EMBED_METHOD = 'rein/model/embed';

/** What the parent answers with: the child's model turn, exactly as the parent's model gave it. */
export interface ChannelChat {
  messages: ChatMessage[];
  tools?: ToolSpec[];
  maxReplyTokens?: number;
}

export const ModelInfoRequestSchema = z.object({ method: z.literal(MODEL_INFO_METHOD), params: z.optional(z.object({}).loose()) });
/** Vectors for texts from an embedding model (`model`: the subagent's memory.embed_model, resolved by the parent). */
export const EmbedRequestSchema = z.object({
  method: z.literal(EMBED_METHOD),
  params: z.object({ model: z.string().min(1), texts: z.array(z.string()) }).loose(),
});
export const EmbedResultSchema = z.object({ vectors: z.array(z.array(z.number())) }).loose();

/** ModelInfo as it crosses the channel (checked loosely: a newer parent may say more). */
export const ModelInfoResultSchema = z
  .object({ name: z.string(), contextWindow: z.number(), contextSource: z.string(), capabilities: z.array(z.string()), supportsTools: z.boolean() })
  .loose();

/** Tokens a sampling request may use when the run sets no smaller limit (MCP requires a number). */
const DEFAULT_MAX_TOKENS = 32_768;

type SamplingParams = CreateMessageRequest['params'];
type SamplingMessage = SamplingParams['messages'][number];

/** Child side: a chat turn as a sampling request — a readable MCP transcript, plus the exact request in `_meta`. */
export function chatToSampling(request: ChatRequest): SamplingParams {
  const chat: ChannelChat = { messages: request.messages, ...(request.tools?.length ? { tools: request.tools } : {}), ...(request.maxReplyTokens ? { maxReplyTokens: request.maxReplyTokens } : {}) };
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    messages: request.messages.flatMap(samplingMessage),
    ...(system.length ? { systemPrompt: system.join('\n\n') } : {}),
    maxTokens: request.maxReplyTokens ?? DEFAULT_MAX_TOKENS,
    ...(request.tools?.length ? { tools: request.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: { ...tool.parameters, type: 'object' as const } })) } : {}),
    _meta: { [CHAT_META]: chat },
  };
}

function samplingMessage(message: ChatMessage): SamplingMessage[] {
  switch (message.role) {
    case 'system':
      return [];
    case 'user':
      return [{ role: 'user', content: { type: 'text', text: message.content } }];
    case 'assistant':
      return [{
        role: 'assistant',
        content: [
          { type: 'text', text: message.content },
          ...(message.toolCalls ?? []).map((call) => ({ type: 'tool_use' as const, id: call.id, name: call.name, input: asInput(call.arguments) })),
        ],
      }];
    case 'tool':
      return [{ role: 'user', content: [{ type: 'tool_result', toolUseId: message.callId, content: [{ type: 'text', text: message.content }] }] }];
  }
}

function asInput(args: unknown): Record<string, unknown> {
  return args && typeof args === 'object' && !Array.isArray(args) ? (args as Record<string, unknown>) : { value: args };
}

/** Parent side: the child's exact chat request; refuses a sampling request that does not come from a Rein subagent. */
export function chatFromSampling(params: SamplingParams): ChannelChat {
  const chat = params._meta?.[CHAT_META] as ChannelChat | undefined;
  if (!chat || !Array.isArray(chat.messages)) throw new SubagentError(`a sampling request without Rein's "${CHAT_META}" metadata: only Rein subagents sample through their parent`);
  return chat;
}

/** The parts of a reply besides its text, carried in `_meta` (the text travels once, in the MCP content). */
interface ReplyExtras {
  thinking?: string;
  toolCalls?: ModelToolCall[];
  usage?: Usage;
  doneReason?: string;
  /** What the provider needs echoed on the next turn (Anthropic's signed thinking blocks). */
  replay?: ProviderReplay;
}

/**
 * A subagent reads at most 10 MB per message on its stdin (the MCP SDK's limit); a bigger reply would be lost on the
 * way, so the parent refuses it with a clear error instead.
 */
export const MAX_REPLY_CHARS = 9_000_000;

/** Parent side: the model's chunks as a sampling result (text and tool_use blocks) plus what else they carried. */
export function replyToSampling(model: string, chunks: ModelChunk[]): CreateMessageResult {
  const text = chunks.flatMap((c) => (c.type === 'text' ? [c.text] : [])).join('');
  const thinking = chunks.flatMap((c) => (c.type === 'thinking' ? [c.text] : [])).join('');
  const calls = chunks.flatMap((c) => (c.type === 'tool_call' ? [c.call] : []));
  const done = chunks.find((c) => c.type === 'done');
  if (text.length + thinking.length + JSON.stringify(calls).length > MAX_REPLY_CHARS) {
    throw new SubagentError(`the model's reply (${Math.round((text.length + thinking.length) / 1e6)} MB) is more than a subagent's channel carries (${MAX_REPLY_CHARS / 1e6} MB)`);
  }
  const extras: ReplyExtras = {
    ...(thinking ? { thinking } : {}),
    ...(calls.length ? { toolCalls: calls } : {}),
    ...(done ? { usage: done.usage, ...(done.doneReason ? { doneReason: done.doneReason } : {}), ...(done.replay ? { replay: done.replay } : {}) } : {}),
  };
  return {
    model,
    role: 'assistant',
    content: calls.length ? ([{ type: 'text', text }, ...calls.map((call) => ({ type: 'tool_use', id: call.id, name: call.name, input: asInput(call.arguments) }))] as unknown as CreateMessageResult['content']) : { type: 'text', text },
    stopReason: calls.length ? 'toolUse' : done?.doneReason === 'length' ? 'maxTokens' : 'endTurn',
    _meta: { [REPLY_META]: extras },
  };
}

/** Child side: the reply as model chunks (exact when the parent is Rein; else rebuilt from the MCP content alone). */
export function chunksFromSampling(result: { content: unknown; _meta?: Record<string, unknown> }): ModelChunk[] {
  const extras = result._meta?.[REPLY_META] as ReplyExtras | undefined;
  const blocks = (Array.isArray(result.content) ? result.content : [result.content]) as { type: string; text?: string; id?: string; name?: string; input?: unknown }[];
  const text = blocks.flatMap((block) => (block.type === 'text' && block.text ? [block.text] : [])).join('');
  const calls = extras?.toolCalls ?? blocks.flatMap((block) => (block.type === 'tool_use' ? [{ id: block.id ?? '', name: block.name ?? '', arguments: block.input ?? {} }] : []));
  return [
    ...(extras?.thinking ? [{ type: 'thinking' as const, text: extras.thinking }] : []),
    ...(text ? [{ type: 'text' as const, text }] : []),
    ...calls.map((call) => ({ type: 'tool_call' as const, call })),
    {
      type: 'done',
      usage: extras?.usage ?? { promptTokens: 0, completionTokens: 0 },
      ...(extras?.doneReason ? { doneReason: extras.doneReason } : {}),
      ...(extras?.replay ? { replay: extras.replay } : {}),
    },
  ];
}

/** The parent's model details, and which client answers (so the subagent's events name the real provider and host). */
export function infoResult(info: ModelInfo, client: Pick<ModelClient, 'provider' | 'location' | 'model'>): z.infer<typeof ModelInfoResultSchema> {
  return { ...info, [ANSWERED_BY]: { provider: client.provider, location: client.location, model: client.model } };
}

/** In the info result: the provider, location and model of the parent's client that answers. */
export const ANSWERED_BY = 'rein/answeredBy';
