import type { RunEvent } from '../../../src/common/index.ts';
import { MemoryExtension, Runtime, type ReinConfig, type Tool } from '../../../src/runtime/index.ts';
import { DEFAULT_MODEL, ScriptedOllama, type ChatRequestBody } from '../../support/scripted-ollama.ts';

export const EMBED_MODEL = { name: 'nomic-embed-text:latest', capabilities: ['embedding'], embeddingDimensions: 256, embedding: 'words' as const };

export function startOllama(): Promise<ScriptedOllama> {
  return ScriptedOllama.start({ models: [DEFAULT_MODEL, EMBED_MODEL] });
}

export function memoryRuntime(config: ReinConfig, tools: Tool[] = []): { runtime: Runtime; memory: MemoryExtension } {
  const memory = new MemoryExtension(config);
  return { runtime: new Runtime({ config, tools, extensions: [memory], trace: false, retry: { retries: 0 } }), memory };
}

export async function collect(events: AsyncIterable<RunEvent>): Promise<RunEvent[]> {
  const all: RunEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

export function ofType<T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

/** A compaction's summary request: a separate prompt, or the request appended to the current prompt (in context). */
export function isSummaryRequest(request: ChatRequestBody): boolean {
  const separate = !request.tools?.length && (request.messages[0]?.content ?? '').startsWith('You compact the memory of an agent');
  return separate || (request.messages.at(-1)?.content ?? '').startsWith('Memory compaction:');
}

/** Every tool message directly follows its assistant tool-call message (or another result of it). */
export function toolResultsFollowCalls(request: ChatRequestBody): boolean {
  return request.messages.every((m, i) => {
    if (m.role !== 'tool') return true;
    const previous = request.messages[i - 1];
    return previous?.role === 'tool' || (previous?.role === 'assistant' && (previous.tool_calls?.length ?? 0) > 0);
  });
}
