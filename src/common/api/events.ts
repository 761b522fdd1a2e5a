// Everything the runtime pushes to a shell: run events, system events, questions and pull progress.
import type { RunEvent, SystemEvent } from '../events.ts';
import type { PullProgress } from './models.ts';
import type { PendingQuestion } from './questions.ts';

export interface QuestionAskedEvent {
  type: 'question.asked';
  question: PendingQuestion;
}

export interface QuestionResolvedEvent {
  type: 'question.resolved';
  id: string;
}

export interface PullProgressEvent extends PullProgress {
  type: 'model.pull.progress';
  /** Set on the last event of a pull. */
  done?: boolean;
  error?: string;
}

export type ApiEvent = RunEvent | SystemEvent | QuestionAskedEvent | QuestionResolvedEvent | PullProgressEvent;

export type Unsubscribe = () => void;
