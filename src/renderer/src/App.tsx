import { useCallback, useEffect, useRef, useState } from 'react';
import type { UserAnswer } from '../../common/index.ts';
import { errorText, getClient } from './client.ts';
import { conversationRuns } from './conversations.ts';
import { useHostBanner } from './host-status.ts';
import { useAppData } from './use-app-data.ts';
import { ChatView } from './components/chat/ChatView.tsx';
import { Sidebar, type PanelId } from './components/Sidebar.tsx';
import { ApprovalsPanel } from './components/panels/ApprovalsPanel.tsx';
import { McpPanel } from './components/panels/McpPanel.tsx';
import { MemoryPanel } from './components/panels/MemoryPanel.tsx';
import { SchedulesPanel } from './components/panels/SchedulesPanel.tsx';
import { KnowledgePanel } from './components/panels/KnowledgePanel.tsx';
import { SetupPanel } from './components/panels/SetupPanel.tsx';
import { SkillsPanel } from './components/panels/SkillsPanel.tsx';
import { TracePanel } from './components/panels/TracePanel.tsx';

export function App() {
  const client = getClient();
  const data = useAppData(client);
  const hostBanner = useHostBanner();
  const { state, runList, questions, model, selectRun } = data;
  const [panel, setPanel] = useState<PanelId>('chat');
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  // First run: without a reachable Ollama and a pulled model, open the setup panel once.
  const firstRunChecked = useRef(false);
  useEffect(() => {
    if (!model || firstRunChecked.current) return;
    firstRunChecked.current = true;
    if (!model.reachable || !model.present) setPanel('setup');
  }, [model]);

  const run = state.currentRunId ? state.runs[state.currentRunId] : undefined;
  const summary = runList.find((r) => r.runId === state.currentRunId);
  const earlier = state.currentRunId
    ? conversationRuns(runList, state.currentRunId).slice(0, -1).flatMap((id) => state.runs[id] ?? [])
    : [];

  const begin = useCallback(
    (start: () => Promise<{ runId: string }>) => {
      setError(undefined);
      setStarting(true);
      start().then(
        ({ runId }) => { selectRun(runId); },
        (err: unknown) => { setError(errorText(err)); },
      ).finally(() => { setStarting(false); });
    },
    [selectRun],
  );
  const answer = (id: string, value: UserAnswer) => {
    client.questions.answer(id, value).catch((err: unknown) => { setError(errorText(err)); });
  };

  return (
    <div className="app">
      <Sidebar
        panel={panel}
        runs={runList}
        currentRunId={state.currentRunId}
        pendingQuestions={questions.length}
        model={model}
        onPanel={setPanel}
        onSelectRun={(runId) => { selectRun(runId); setPanel('chat'); }}
      />
      <main className="main">
        {hostBanner && <p className="error-line banner" role="status" aria-label="Runtime connection">{hostBanner}</p>}
        {data.connectionError && <p className="error-line banner" role="alert">{data.connectionError}</p>}
        {panel === 'chat' && (
          <ChatView
            run={run}
            earlier={earlier}
            summary={summary}
            questions={questions}
            error={error}
            starting={starting}
            onSend={(goal) => { begin(() => client.runs.start({ goal, ...(run?.finished ? { continueFrom: run.runId } : {}) })); }}
            onStop={() => { if (run) client.runs.abort(run.runId).catch((err: unknown) => { setError(errorText(err)); }); }}
            onResume={(runId) => { begin(() => client.runs.resume(runId)); }}
            onAnswer={answer}
          />
        )}
        {panel === 'setup' && <SetupPanel client={client} status={model} onChanged={data.reloadModel} />}
        {panel === 'approvals' && <ApprovalsPanel client={client} questions={questions} onAnswer={answer} />}
        {panel === 'skills' && <SkillsPanel client={client} />}
        {panel === 'memory' && <MemoryPanel client={client} />}
        {panel === 'knowledge' && <KnowledgePanel client={client} />}
        {panel === 'mcp' && <McpPanel client={client} />}
        {panel === 'schedules' && <SchedulesPanel client={client} />}
        {panel === 'traces' && <TracePanel client={client} runs={runList} />}
      </main>
    </div>
  );
}
