import type { PendingQuestion, RunSummary, UserAnswer } from '../../../../common/index.ts';
import type { RunView } from '../../run-state.ts';
import { Composer } from './Composer.tsx';
import { QuestionCard } from './QuestionCard.tsx';
import { RunStatusLine } from './RunStatusLine.tsx';
import { RunTimeline } from './RunTimeline.tsx';

interface Props {
  run: RunView | undefined;
  /** The conversation's earlier turns, oldest first. */
  earlier: RunView[];
  summary: RunSummary | undefined;
  questions: PendingQuestion[];
  error: string | undefined;
  starting: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  onResume: (runId: string) => void;
  onAnswer: (id: string, answer: UserAnswer) => void;
}

export function ChatView({ run, earlier, summary, questions, error, starting, onSend, onStop, onResume, onAnswer }: Props) {
  const running = Boolean(run && !run.finished && summary?.status !== 'interrupted');
  const resumable = summary?.status === 'interrupted' || run?.finished?.status === 'stopped';
  const mine = questions.filter((q) => !q.runId || q.runId === run?.runId);
  return (
    <div className="chat">
      <div className="chat-scroll">
        {!run && (
          <div className="welcome">
            <h2>What should Rein do?</h2>
            <p className="muted">Rein runs your local model with tools, guarded by the harness. Every step shows up here as it happens.</p>
          </div>
        )}
        {earlier.map((turn) => (
          <section key={turn.runId} className="run" aria-label="Earlier turn">
            {turn.goal && <div className="user-bubble">{turn.goal}</div>}
            <RunTimeline run={turn} />
          </section>
        ))}
        {run && (
          <section className="run" aria-label="Current run">
            {(run.goal ?? summary?.goal) && <div className="user-bubble">{run.goal ?? summary?.goal}</div>}
            <RunTimeline run={run} />
            {mine.map((question) => (
              <QuestionCard key={question.id} question={question} onAnswer={(answer) => { onAnswer(question.id, answer); }} />
            ))}
            {summary?.status === 'interrupted' && !run.finished ? (
              <p className="status-line status-stopped">interrupted — Rein was closed while this run was going</p>
            ) : (
              <RunStatusLine run={run} />
            )}
            {resumable && (
              <button type="button" className="button" onClick={() => { onResume(run.runId); }}>
                Resume
              </button>
            )}
          </section>
        )}
        {error && (
          <p className="error-line" role="alert">
            {error}
          </p>
        )}
      </div>
      <Composer busy={starting || running} canStop={running} onSend={onSend} onStop={onStop} />
    </div>
  );
}
