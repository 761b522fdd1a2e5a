// The provider contract for Anthropic, against the scripted Messages API server (the official SDK on loopback).
import { parseConfig } from '../../../../src/runtime/config/index.ts';
import type { ModelConfig } from '../../../../src/runtime/index.ts';
import { startScriptedAnthropic, type ScriptedAnthropicReply } from '../../../support/scripted-anthropic.ts';
import { providerContract, type ContractReply } from './scenarios.ts';

const base = parseConfig('', { env: {} }).model;
const model = (url: string): ModelConfig => ({ ...base, provider: 'anthropic', name: 'claude-sonnet-5-5', base_url: url, api_key: 'sk-ant-test' });

function toAnthropic(reply: ContractReply): ScriptedAnthropicReply {
  if (reply.overflow) return { httpError: { status: 400, type: 'invalid_request_error', message: `prompt is too long: ${reply.overflow.window + 500} tokens > ${reply.overflow.window} maximum` } };
  return { ...(reply.content ? { content: reply.content } : {}), ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}) };
}

providerContract('anthropic', {
  async start() {
    let replies: ContractReply[] = [];
    let offset = 0;
    const server = await startScriptedAnthropic({ replies: (_body, index) => toAnthropic(replies[index - offset] ?? { content: 'Done.' }) });
    return {
      model: model(server.url),
      script: (next) => {
        replies = next;
        offset = server.requests.length;
      },
      requests: () => server.requests.length - offset,
      close: () => server.close(),
    };
  },
  down: (port) => model(`http://127.0.0.1:${port}`),
  downMessage: /the Anthropic API is not reachable at http:\/\/127\.0\.0\.1:\d+ .*check the network, or model\.base_url/,
});
