import { useCallback, useState } from 'react';
import type { FeedbackVerdict, ModelStatus, PendingQuestion, RunFeedback, RunSummary, RuntimeApi, UserAnswer } from '../../../../common/index.ts';
import type { CitedPassage } from '../../citations.tsx';
import { useDocumentDrop } from '../../use-document-drop.ts';
import type { RunView } from '../../run-state.ts';
import { useFollow } from '../../use-follow.ts';
import { AttachedDocuments } from './AttachedDocuments.tsx';
import { CompareView, type Comparison } from './CompareView.tsx';
import { Composer, type ComposerModel } from './Composer.tsx';
import { QuestionCard } from './QuestionCard.tsx';
import { RunStatusLine } from './RunStatusLine.tsx';
import { SourcePreview } from './SourcePreview.tsx';
import { Turn } from './Turn.tsx';

interface Props {
  client: RuntimeApi;
  /** The shown branch of the conversation, oldest first; the last one is the current run. */
  turns: RunView[];
  /** Per run id: the versions of that turn (edits, regenerations), oldest first. */
  versions: Record<string, string[]>;
  conversationId: string | undefined;
  summary: RunSummary | undefined;
  questions: PendingQuestion[];
  error: string | undefined;
  starting: boolean;
  /** Why sending is not possible right now (e.g. the model server unreachable), if it is not. */
  blocked: string | undefined;
  modelStatus: ModelStatus | undefined;
  model: ComposerModel;
  /** Two models answering the same message, shown in place of the last turn. */
  comparison: Comparison | undefined;
  compareViews: (RunView | undefined)[];
  feedbackOf: (runId: string) => RunFeedback | undefined;
  onFeedback: (runId: string, verdict: FeedbackVerdict, reason?: string) => Promise<void>;
  onSend: (text: string) => void;
  onCompare: (text: string, models: [string, string]) => void;
  onPickCompared: (runId: string) => void;
  onStop: () => void;
  onResume: (runId: string) => void;
  onAnswer: (id: string, answer: UserAnswer) => void;
  /** Another version of a turn: edited text, or the same goal again (regenerate). */
  onBranch: (runId: string, goal: string) => void;
  onShowVersion: (runId: string) => void;
}

export function ChatView(props: Props) {
  const { turns, versions, conversationId, summary, questions, error, starting, comparison, onStop, onResume, onAnswer } = props;
  const shown = comparison ? turns.slice(0, -1) : turns;
  const run = turns.at(-1);
  const running = Boolean(run && !run.finished && summary?.status !== 'interrupted');
  const resumable = summary?.status === 'interrupted' || run?.finished?.status === 'stopped' || run?.finished?.status === 'failed';
  const mine = questions.filter((q) => !q.runId || q.runId === run?.runId);
  const { scroller, content, onScroll, behind, toBottom } = useFollow(conversationId ?? run?.runId ?? 'new');
  const comparing = Boolean(comparison && props.compareViews.some((v) => !v?.finished));
  const busy = starting || running || comparing || turns.some((t) => !t.finished && t !== run);
  const [attachedVersion, setAttachedVersion] = useState(0);
  const [source, setSource] = useState<CitedPassage>();
  const documents = useDocumentDrop(props.client, conversationId, useCallback(() => { setAttachedVersion((n) => n + 1); }, []));
  const send = (text: string) => {
    toBottom();
    props.onSend(text);
  };

  return (
    <div className={`chat${documents.dragging ? ' dragging' : ''}${source ? ' has-source' : ''}`} {...documents.handlers}>
      {documents.dragging && <div className="drop-overlay" aria-hidden="true">Drop documents to attach them to this conversation</div>}
      <div className="chat-scroll" ref={scroller} onScroll={onScroll} tabIndex={-1}>
        <div className="chat-content" ref={content}>
          {!run && !comparison && (
            <div className="welcome">
              <h2>What should Rein do?</h2>
              <p className="muted">Rein runs your {props.modelStatus?.cloud ? 'model' : 'local model'} with tools, guarded by the harness. Every step shows up here as it happens.</p>
            </div>
          )}
          {shown.map((turn) => {
            const current = turn === run;
            return (
              <Turn
                key={turn.runId}
                run={turn}
                current={current}
                goal={turn.goal ?? (current ? summary?.goal : undefined)}
                versions={versions[turn.runId] ?? [turn.runId]}
                busy={busy}
                waitingTools={current ? mine.filter((q) => q.kind === 'approval').map((q) => String(q.details?.tool ?? '')) : []}
                feedback={props.feedbackOf(turn.runId)}
                onFeedback={(verdict, reason) => props.onFeedback(turn.runId, verdict, reason)}
                onOpenSource={setSource}
                onBranch={(goal) => { toBottom(); props.onBranch(turn.runId, goal); }}
                onShowVersion={props.onShowVersion}
              >
                {current && (
                  <>
                    {mine.map((question) => (
                      <QuestionCard key={question.id} question={question} onAnswer={(answer) => { onAnswer(question.id, answer); }} />
                    ))}
                    {summary?.status === 'interrupted' && !turn.finished ? (
                      <p className="status-line status-stopped">interrupted — Rein was closed while this run was going</p>
                    ) : (
                      <RunStatusLine run={turn} waiting={mine.length > 0} loadingModel={props.modelStatus?.loading === true} />
                    )}
                    {resumable && !running && (
                      <div className="row">
                        <button type="button" className="button" onClick={() => { onResume(turn.runId); }}>
                          {turn.finished?.status === 'failed' ? 'Retry' : 'Resume'}
                        </button>
                      </div>
                    )}
                  </>
                )}
              </Turn>
            );
          })}
          {comparison && <CompareView comparison={comparison} views={props.compareViews} options={props.model.options} onPick={props.onPickCompared} onOpenSource={setSource} />}
          {error && (
            <p className="error-line" role="alert">
              {error}
            </p>
          )}
        </div>
      </div>
      {behind && (
        <button type="button" className="jump-latest" onClick={toBottom}>
          ↓ Jump to latest
        </button>
      )}
      <AttachedDocuments client={props.client} conversationId={conversationId} items={documents.items} version={attachedVersion} onDismiss={documents.dismiss} />
      <Composer busy={busy} canStop={running} blocked={props.blocked} model={props.model} onSend={send} onCompare={(text, models) => { toBottom(); props.onCompare(text, models); }} onStop={onStop} onAttach={documents.add} />
      {source && <SourcePreview client={props.client} passage={source} onClose={() => { setSource(undefined); }} />}
    </div>
  );
}
