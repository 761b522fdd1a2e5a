// What the run timeline says: each cause once — notices of several capabilities with one cause, retries of one cause,
// and a failure that already names it.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { RunTimeline } from '../../src/renderer/src/components/chat/RunTimeline.tsx';
import { emptyRun, foldEvent } from '../../src/renderer/src/run-state.ts';

const at = (seq: number) => ({ runId: 'run_1', seq, time: `2026-01-01T00:00:0${seq}.000Z` });
const fold = (events: Record<string, unknown>[]) => events.map((e, i) => ({ ...at(i + 1), ...e }) as RunEvent).reduce(foldEvent, emptyRun('run_1'));
const text = (events: Record<string, unknown>[]) => renderToStaticMarkup(createElement(RunTimeline, { run: fold(events) })).replace(/<[^>]+>/g, '|');

describe('run timeline', () => {
  it('says a missing embedding model once, for every capability it affects', () => {
    const cause = 'model "nomic-embed-text" is not pulled — run `ollama pull nomic-embed-text`';
    const out = text([
      { type: 'run.started', goal: 'g', model: 'm', provider: 'ollama', tools: [] },
      { type: 'run.notice', level: 'info', source: 'skills', message: `embeddings unavailable (${cause}); ranking skills by keywords` },
      { type: 'run.notice', level: 'warn', source: 'memory', message: `embedding model nomic-embed-text is unavailable (${cause}); recall uses full-text search only` },
    ]);
    expect(out.match(/not pulled/g)).toHaveLength(1);
    expect(out).toContain('skills and memory: embeddings unavailable');
  });

  it('a failed run says its cause once: retries of the same cause (another error code) are not repeated', () => {
    const out = text([
      { type: 'run.started', goal: 'g', model: 'm', provider: 'ollama', tools: [] },
      { type: 'model.retry', step: 1, attempt: 1, delayMs: 500, error: 'Ollama is not reachable at http://x (UND_ERR_SOCKET)' },
      { type: 'model.retry', step: 1, attempt: 2, delayMs: 900, error: 'Ollama is not reachable at http://x (UND_ERR_SOCKET)' },
      { type: 'run.finished', status: 'failed', reason: 'Ollama is not reachable at http://x (ECONNREFUSED)', steps: 1, usage: { promptTokens: 0, completionTokens: 0 } },
    ]);
    expect(out).not.toContain('not reachable');
  });

  it('a retry the run got past is history, not "trying again in …"', () => {
    const out = text([
      { type: 'run.started', goal: 'g', model: 'm', provider: 'ollama', tools: [] },
      { type: 'model.retry', step: 1, attempt: 1, delayMs: 1814, error: 'timeout' },
      { type: 'model.delta', step: 1, text: 'Hello' },
      { type: 'run.finished', status: 'completed', answer: 'Hello', steps: 1, usage: { promptTokens: 1, completionTokens: 1 } },
    ]);
    expect(out).toContain('The model did not answer, then did: timeout');
    expect(out).not.toContain('1814');
    expect(out).not.toContain('trying again');
  });
});
