// Questions waiting for the user (approvals, elicitation): the runtime's `ask`, answered through the API.
import type { PendingQuestion, QuestionsApi, UserAnswer, UserQuestion } from '../../common/index.ts';
import { ApiNotFoundError } from './errors.ts';

type Emit = (event: { type: 'question.asked'; question: PendingQuestion } | { type: 'question.resolved'; id: string }) => void;

export class QuestionBroker implements QuestionsApi {
  private readonly waiting = new Map<string, { question: PendingQuestion; resolve: (answer: UserAnswer) => void }>();
  private readonly emit: Emit;

  constructor(emit: Emit) {
    this.emit = emit;
  }

  /** An Asker: waits for an answer from any shell; an aborted signal cancels the question. */
  ask = (question: UserQuestion, signal?: AbortSignal): Promise<UserAnswer> =>
    new Promise((resolve) => {
      const pending: PendingQuestion = { ...question, askedAt: new Date().toISOString() };
      const settle = (answer: UserAnswer) => {
        if (!this.waiting.delete(question.id)) return;
        signal?.removeEventListener('abort', onAbort);
        this.emit({ type: 'question.resolved', id: question.id });
        resolve(answer);
      };
      const onAbort = () => settle({ action: 'cancel', reason: 'the run was stopped', by: 'runtime' });
      this.waiting.set(question.id, { question: pending, resolve: settle });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.emit({ type: 'question.asked', question: pending });
    });

  pending(): Promise<PendingQuestion[]> {
    return Promise.resolve([...this.waiting.values()].map((entry) => entry.question));
  }

  answer(id: string, answer: UserAnswer): Promise<void> {
    const entry = this.waiting.get(id);
    if (!entry) return Promise.reject(new ApiNotFoundError(`no pending question "${id}" (already answered or cancelled)`));
    entry.resolve(answer);
    return Promise.resolve();
  }
}
