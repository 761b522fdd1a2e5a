// Parent side of the model channel: a subagent's sampling requests are answered by this Rein's model client, so its
// provider, retries, policy and audit apply to the subagent's model calls too.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ModelChunk, ModelClient } from '../model/index.ts';
import { EmbedRequestSchema, ModelInfoRequestSchema, chatFromSampling, infoResult, replyToSampling } from './model-channel.ts';

/** An embedding model of the parent's, by the name the subagent's memory.embed_model gives. */
export type EmbedderFor = (model: string) => { embed(texts: string[], signal?: AbortSignal): Promise<number[][]> };

export function relayModel(client: Client, model: () => ModelClient, embedderFor?: EmbedderFor): void {
  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    const chat = chatFromSampling(request.params);
    const current = model();
    const chunks: ModelChunk[] = [];
    const stream = current.chat({
      messages: chat.messages,
      ...(chat.tools ? { tools: chat.tools } : {}),
      ...(chat.maxReplyTokens ? { maxReplyTokens: chat.maxReplyTokens } : {}),
      signal: extra.signal,
    });
    for await (const chunk of stream) chunks.push(chunk);
    return replyToSampling(current.model, chunks);
  });
  if (embedderFor) {
    client.setRequestHandler(EmbedRequestSchema, async (request, extra) => ({ vectors: await embedderFor(request.params.model).embed(request.params.texts, extra.signal) }));
  }
  client.setRequestHandler(ModelInfoRequestSchema, async (_request, extra) => {
    const current = model();
    return infoResult(await current.info(extra.signal), current);
  });
}
