// Conversations: runs that continue one another. A follow-up sees each earlier run's goal and final answer (not its
// tool calls, to keep the context small); the link is recorded in run.started (conversationId, continues).
import type { RunEvent } from '../../common/index.ts';
import type { ChatMessage } from '../model/index.ts';
import { ApiArgumentError } from './errors.ts';

/** Longest chain followed back; older exchanges are left out. */
const MAX_TURNS = 50;

export interface Continuation {
  history: ChatMessage[];
  conversationId: string;
  continues: string;
}

/** The history a follow-up on `runId` starts with: the goals and answers of its conversation, oldest first. */
export async function continuation(runId: string, eventsOf: (runId: string) => Promise<RunEvent[]>): Promise<Continuation> {
  const turns: ChatMessage[][] = [];
  let conversationId = runId;
  for (let id: string | undefined = runId; id && turns.length < MAX_TURNS; ) {
    const events = await eventsOf(id);
    const started = events.find((e) => e.type === 'run.started');
    const finished = events.findLast((e) => e.type === 'run.finished');
    if (started?.type !== 'run.started') throw new ApiArgumentError(`run ${id} has no recorded start, so it cannot be continued`);
    if (finished?.type !== 'run.finished') throw new ApiArgumentError(`run ${id} has not finished, so it cannot be continued yet`);
    const answer = finished.answer ?? `(no answer: the run ${finished.status}${finished.reason ? `: ${finished.reason}` : ''})`;
    turns.unshift([
      { role: 'user', content: started.goal },
      { role: 'assistant', content: answer },
    ]);
    conversationId = started.conversationId ?? id;
    id = started.continues;
  }
  return { history: turns.flat(), conversationId, continues: runId };
}

/** A sibling of `runId` (edit-and-resend, regenerate): the same conversation and the same earlier turns. */
export async function branch(runId: string, eventsOf: (runId: string) => Promise<RunEvent[]>): Promise<Partial<Continuation>> {
  const started = (await eventsOf(runId)).find((e) => e.type === 'run.started');
  if (started?.type !== 'run.started') throw new ApiArgumentError(`run ${runId} has no recorded start, so it cannot be branched`);
  if (started.continues) return continuation(started.continues, eventsOf);
  return { conversationId: started.conversationId ?? runId };
}
