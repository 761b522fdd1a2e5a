// Parent side of the model channel: a subagent's sampling requests are answered by this Rein's model client, so its
// provider, retries, policy and audit apply to the subagent's model calls too.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { ModelChunk, ModelClient } from '../model/index.ts';
import { ModelInfoRequestSchema, chatFromSampling, infoResult, replyToSampling } from './model-channel.ts';

export function relayModel(client: Client, model: () => ModelClient): void {
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
  client.setRequestHandler(ModelInfoRequestSchema, async (_request, extra) => {
    const current = model();
    return infoResult(await current.info(extra.signal), current);
  });
}
