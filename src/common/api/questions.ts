// Questions the runtime is waiting on (approvals, elicitation), answered from any shell.
import type { UserAnswer, UserQuestion } from '../questions.ts';

export interface PendingQuestion extends UserQuestion {
  askedAt: string;
}

export interface QuestionsApi {
  pending(): Promise<PendingQuestion[]>;
  /** Answers a pending question; the first answer wins. */
  answer(id: string, answer: UserAnswer): Promise<void>;
}
