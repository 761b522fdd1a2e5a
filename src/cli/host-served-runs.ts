// `rein mcp` with a host running on the data dir: run_agent calls run in the host (one database writer, the host's
// MCP connections), so they show in the desktop app like any run; the MCP client still gets the run's events as
// progress and answers its approvals and questions (elicitation) — the first answer from any client wins.
import type { ApiEvent, RunEvent, RunFinishedEvent } from '../common/index.ts';
import type { HostConnection } from '../host/client.ts';
import type { ServedRunRequest, ServedRuns } from '../runtime/index.ts';

export function hostServedRuns(connection: HostConnection, maxRuns: number): ServedRuns {
  const { api } = connection;
  return {
    maxRuns,
    listSkills: async () => ({ skills: (await api.skills.list()).filter((s) => s.approved).map(({ name, description }) => ({ name, description })) }),
    run: (request) => runOnHost(connection, request),
  };
}

async function runOnHost(connection: HostConnection, { goal, role, signal, onEvent, ask }: ServedRunRequest) {
  const { api } = connection;
  let runId: string | undefined;
  const held: ApiEvent[] = [];
  const prompts = new Map<string, AbortController>();
  let settle!: (event: RunFinishedEvent | 'lost') => void;
  const finished = new Promise<RunFinishedEvent | 'lost'>((resolve) => (settle = resolve));
  const handle = (event: ApiEvent) => {
    if (isRunEvent(event)) {
      if (event.runId !== runId) return;
      onEvent(event);
      if (event.type === 'run.finished') settle(event);
    } else if (event.type === 'question.asked' && event.question.runId === runId && !prompts.has(event.question.id)) {
      const controller = new AbortController();
      prompts.set(event.question.id, controller);
      ask(event.question, controller.signal).then(
        (answer) => api.questions.answer(event.question.id, answer).catch(() => undefined), // answered elsewhere first
        () => undefined,
      );
    } else if (event.type === 'question.resolved') {
      prompts.get(event.id)?.abort();
      prompts.delete(event.id);
    }
  };
  // Events are held until the run id is known (they may arrive before runs.start answers).
  const unsubscribe = api.onEvent((event) => (runId ? handle(event) : held.push(event)));
  const onAbort = () => runId && void api.runs.abort(runId).catch(() => undefined);
  try {
    runId = (await api.runs.start({ goal, ...(role ? { role } : {}), served: true })).runId; // the host counts them (agents.max_served_runs)
    for (const event of held.splice(0)) handle(event);
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();
    const outcome = await Promise.race([finished, connection.closed.then(() => 'lost' as const)]);
    if (outcome === 'lost') {
      const reason = `lost the Rein host (pid ${connection.info.pid}); the run resumes when it restarts (rein run --resume ${runId})`;
      return { status: 'failed' as const, reason, steps: 0, usage: { promptTokens: 0, completionTokens: 0 }, sessionId: runId };
    }
    return {
      status: outcome.status,
      ...(outcome.answer !== undefined ? { answer: outcome.answer } : {}),
      ...(outcome.reason ? { reason: outcome.reason } : {}),
      steps: outcome.steps,
      usage: outcome.usage,
      sessionId: runId,
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    unsubscribe();
    for (const prompt of prompts.values()) prompt.abort();
  }
}

function isRunEvent(event: ApiEvent): event is RunEvent {
  return 'runId' in event && 'seq' in event;
}
