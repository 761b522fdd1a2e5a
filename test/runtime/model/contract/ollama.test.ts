// The provider contract for Ollama, against the scripted Ollama server.
import { parseConfig } from '../../../../src/runtime/config/index.ts';
import { ScriptedOllama, type ScriptedReply } from '../../../support/scripted-ollama.ts';
import { providerContract, type ContractReply } from './scenarios.ts';

const base = parseConfig('', { env: {} }).model;

function toOllama(reply: ContractReply): ScriptedReply {
  if (reply.overflow) return { httpError: { status: 400, error: `the input length (9000 tokens) exceeds the context length (${reply.overflow.window} tokens)` } };
  return { ...(reply.content ? { content: reply.content } : {}), ...(reply.toolCalls ? { toolCalls: reply.toolCalls } : {}) };
}

providerContract('ollama', {
  async start() {
    const ollama = await ScriptedOllama.start();
    return {
      model: { ...base, provider: 'ollama', name: 'qwen3:4b', base_url: ollama.url },
      script: (replies) => ollama.script(replies.map(toOllama)),
      requests: () => ollama.chatRequests.length,
      close: () => ollama.close(),
    };
  },
  down: (port) => ({ ...base, provider: 'ollama', name: 'qwen3:4b', base_url: `http://127.0.0.1:${port}` }),
  downMessage: /Ollama is not reachable at http:\/\/127\.0\.0\.1:\d+ — start it with `ollama serve`/,
});
