// Requests a server sends to Rein: elicitation goes to the user; sampling is answered by the local model,
// only after the user approved it. When nobody can answer, both are declined.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ElicitRequestSchema,
  ErrorCode,
  McpError,
  type CreateMessageResult,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';
import { newId } from '../base/index.ts';
import type { ExtensionHost } from '../extension.ts';
import type { ChatMessage } from '../model/index.ts';

type Host = Pick<ExtensionHost, 'ask' | 'model'>;

/** The MCP error code the spec uses for "the user rejected the request". */
const USER_REJECTED = -1;

export function installRequestHandlers(client: Client, server: string, host: Host): void {
  client.setRequestHandler(ElicitRequestSchema, async (request, extra): Promise<ElicitResult> => {
    const params = request.params;
    if (params.mode === 'url') throw new McpError(ErrorCode.InvalidParams, 'Rein does not support URL elicitation');
    const answer = await host.ask(
      {
        id: newId('ask'),
        kind: 'elicitation',
        title: `${server} asks for input`,
        message: params.message,
        source: server,
        schema: params.requestedSchema as Record<string, unknown>,
      },
      extra.signal,
    );
    if (answer.action === 'accept') return { action: 'accept', content: (answer.content ?? {}) as ElicitResult['content'] };
    return { action: answer.action };
  });

  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra): Promise<CreateMessageResult> => {
    const params = request.params;
    const messages = params.messages.map((m): ChatMessage => ({ role: m.role, content: textOf(m.content) }));
    const answer = await host.ask(
      {
        id: newId('ask'),
        kind: 'sampling',
        title: `Let ${server} use the model ${host.model.model}?`,
        // The whole text the model will see (system prompt included): consent covers exactly what is acted on.
        message: `The MCP server "${server}" asks the local model to answer:\n\n${[...(params.systemPrompt ? [`system: ${params.systemPrompt}`] : []), ...messages.map((m) => `${m.role}: ${m.content}`)].join('\n')}`,
        source: server,
        details: { systemPrompt: params.systemPrompt, maxTokens: params.maxTokens },
      },
      extra.signal,
    );
    if (answer.action !== 'accept') {
      throw new McpError(USER_REJECTED, `the user declined the sampling request${answer.reason ? ` (${answer.reason})` : ''}`);
    }
    const prompt: ChatMessage[] = params.systemPrompt ? [{ role: 'system', content: params.systemPrompt }, ...messages] : messages;
    let text = '';
    for await (const chunk of host.model.chat({ messages: prompt, signal: extra.signal })) {
      if (chunk.type === 'text') text += chunk.text;
    }
    return { role: 'assistant', content: { type: 'text', text }, model: host.model.model, stopReason: 'endTurn' };
  });
}

function textOf(content: unknown): string {
  const blocks = (Array.isArray(content) ? content : [content]) as { type: string; text?: string; mimeType?: string }[];
  return blocks.map((b) => (b.type === 'text' ? (b.text ?? '') : `[${b.type}${b.mimeType ? ` ${b.mimeType}` : ''}]`)).join('\n');
}
