import type { PendingQuestion, UserAnswer } from '../../../../common/index.ts';
import { ApprovalCard } from './ApprovalCard.tsx';
import { ElicitationForm } from './ElicitationForm.tsx';

interface Props {
  question: PendingQuestion;
  onAnswer: (answer: UserAnswer) => void;
}

/** A question the runtime waits on: a policy approval reads like a decision, an MCP form shows every field. */
export function QuestionCard({ question, onAnswer }: Props) {
  if (question.kind === 'elicitation') return <ElicitationForm question={question} onAnswer={onAnswer} />;
  return <ApprovalCard question={question} onAnswer={onAnswer} />;
}
