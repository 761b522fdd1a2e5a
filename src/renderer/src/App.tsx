import { useCallback, useEffect, useRef, useState } from 'react';
import type { FeedbackVerdict, UserAnswer } from '../../common/index.ts';
import { errorText, getClient } from './client.ts';
import { conversationRuns, conversationsOf, threadOf } from './conversations.ts';
import { useHostBanner } from './host-status.ts';
import { blockedText, modelOptions } from './model-choice.ts';
import { useAppData } from './use-app-data.ts';
import { useModelSources } from './use-model-sources.ts';
import { ChatView } from './components/chat/ChatView.tsx';
import type { Comparison } from './components/chat/CompareView.tsx';
import { CommandPalette, type Command } from './components/CommandPalette.tsx';
import { ShortcutsHelp } from './components/ShortcutsHelp.tsx';
import { PANELS, Sidebar, type PanelId } from './components/Sidebar.tsx';
import { UndoToast } from './components/common/UndoToast.tsx';
import { useConversationActions } from './use-conversation-actions.ts';
import { useShell } from './use-shell.ts';
import { ApprovalsPanel } from './components/panels/ApprovalsPanel.tsx';
import { McpPanel } from './components/panels/McpPanel.tsx';
import { MemoryPanel } from './components/panels/MemoryPanel.tsx';
import { SchedulesPanel } from './components/panels/SchedulesPanel.tsx';
import { KnowledgePanel } from './components/panels/KnowledgePanel.tsx';
import { SetupPanel } from './components/panels/SetupPanel.tsx';
import { SkillsPanel } from './components/panels/SkillsPanel.tsx';
import { TracePanel } from './components/panels/TracePanel.tsx';
import { InsightsPanel } from './components/panels/InsightsPanel.tsx';
import { SettingsPanel } from './components/panels/settings/SettingsPanel.tsx';
import { StartProblems, explainedBy, useStartProblems } from './components/StartProblems.tsx';

/** Settings sections the command palette jumps to by what people type ("system prompt", "rules", "offline"). */
const SETTINGS_JUMPS = [
  { section: 'model', label: 'model, provider, temperature, context window' },
  { section: 'behaviour', label: 'system prompt, steps, timeouts' },
  { section: 'budgets', label: 'budgets (tokens, tool calls, time)' },
  { section: 'policy', label: 'approvals and defaults' },
  { section: 'rules', label: 'policy rules' },
  { section: 'network', label: 'offline mode, cloud models, egress' },
  { section: 'memory', label: 'memory, embedding model, knowledge' },
  { section: 'data', label: 'data folder' },
];

/** A run's first event arrives just after runs.start: a second version of it (compare) waits for that. */
async function whenStarted(client: ReturnType<typeof getClient>, runId: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const events = await client.runs.events(runId).catch(() => []);
    if (events.some((e) => e.type === 'run.started')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function App() {
  const client = getClient();
  const data = useAppData(client);
  const hostBanner = useHostBanner();
  const startProblems = useStartProblems(client);
  const { state, runList, questions, model, selectRun } = data;
  const [panel, setPanel] = useState<PanelId>('chat');
  /** A section to scroll to when Settings opens (from the command palette). */
  const [settingsSection, setSettingsSection] = useState<{ id: string }>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();
  const [comparison, setComparison] = useState<Comparison>();
  /** The model the next message goes to, when the user picked one other than the default. */
  const [picked, setPicked] = useState<string>();
  // Back from a host restart (desktop): what the new host knows replaces what the page showed.
  const wasDown = useRef(false);
  useEffect(() => {
    if (hostBanner) {
      wasDown.current = true;
      return;
    }
    if (!wasDown.current) return;
    wasDown.current = false;
    data.reloadRuns();
    data.reloadModel();
    if (state.currentRunId) selectRun(state.currentRunId, true);
  }, [hostBanner]); // only on a change of the host's state
  const newChat = useCallback(() => { selectRun(undefined); setComparison(undefined); setPanel('chat'); }, [selectRun]);
  const shell = useShell(newChat);
  const convo = useConversationActions(
    client,
    (removed) => { if (state.currentRunId && removed.runIds.includes(state.currentRunId)) newChat(); },
    setError,
  );
  const openRun = (runId: string | undefined) => {
    selectRun(runId);
    setComparison(undefined);
    setPanel('chat');
    if (window.matchMedia('(max-width: 900px)').matches) shell.setSidebar(false);
  };

  // First run: without a reachable model server and a model, open the Models panel once.
  const firstRunChecked = useRef(false);
  useEffect(() => {
    if (!model || firstRunChecked.current) return;
    firstRunChecked.current = true;
    if (!model.reachable || !model.present) setPanel('setup');
  }, [model]);

  const hidden = convo.pending?.conversation.id;
  const listed = hidden ? runList.filter((r) => r.conversationId !== hidden) : runList;
  const ordered = state.currentRunId ? conversationRuns(runList, state.currentRunId) : [];
  const thread = state.currentRunId ? threadOf(ordered, state.currentRunId, (id) => state.runs[id]) : undefined;
  const turns = (thread?.path ?? []).flatMap((id) => state.runs[id] ?? []);
  const run = turns.at(-1);
  const summary = runList.find((r) => r.runId === state.currentRunId);
  const sources = useModelSources(client, `${model?.provider}:${model?.model}:${model?.reachable}:${model?.present}`);
  const options = modelOptions(sources);
  const defaultRef = options.find((o) => o.source === 'model' && o.name === model?.model)?.ref ?? model?.model ?? '';
  const current = picked && options.some((o) => o.ref === picked) ? picked : defaultRef;
  const blocked = startProblems.some((p) => p.refusesRuns)
    ? 'Sending is paused: Rein runs nothing without its audit log and policy (see above).'
    : blockedText(model);

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
  const withModel = (ref: string) => (ref && ref !== defaultRef ? { model: ref } : {});
  const compare = (goal: string, refs: [string, string]) => {
    setError(undefined);
    setStarting(true);
    (async () => {
      const first = await client.runs.start({ goal, ...(run?.finished ? { continueFrom: run.runId } : {}), ...withModel(refs[0]) });
      selectRun(first.runId);
      setComparison({ goal, runs: [{ runId: first.runId, model: refs[0] }] });
      await whenStarted(client, first.runId);
      // The second answer is another version of the same turn: both stay reachable in the conversation.
      const second = await client.runs.start({ goal, branchOf: first.runId, ...withModel(refs[1]) });
      setComparison({ goal, runs: [{ runId: first.runId, model: refs[0] }, { runId: second.runId, model: refs[1] }] });
    })().catch((err: unknown) => { setError(errorText(err)); }).finally(() => { setStarting(false); });
  };
  const answer = (id: string, value: UserAnswer) => {
    client.questions.answer(id, value).catch((err: unknown) => { setError(errorText(err)); });
  };
  const feedback = async (runId: string, verdict: FeedbackVerdict, reason?: string) => {
    await client.runs.feedback(runId, verdict, reason);
    data.reloadRuns();
  };

  const currentConversation = summary?.conversationId ?? thread?.path[0];
  const conversationTitle = currentConversation ? (convo.titles[currentConversation] ?? runList.find((r) => r.runId === currentConversation)?.goal ?? turns[0]?.goal) : undefined;
  const commands: Command[] = [
    { id: 'new-chat', label: 'New chat', hint: 'Ctrl+Shift+O', run: newChat },
    ...PANELS.map(({ id, label }) => ({ id: `panel-${id}`, label: `Go to ${label}`, hint: 'panel', run: () => { setPanel(id); } })),
    ...SETTINGS_JUMPS.map(({ section, label }) => ({ id: `settings-${section}`, label: `Settings: ${label}`, hint: 'settings', run: () => { setSettingsSection({ id: section }); setPanel('settings'); } })),
    { id: 'theme-light', label: 'Theme: light', run: () => { shell.setTheme('light'); } },
    { id: 'theme-dark', label: 'Theme: dark', run: () => { shell.setTheme('dark'); } },
    { id: 'theme-system', label: 'Theme: follow the system', run: () => { shell.setTheme('system'); } },
    { id: 'sidebar', label: shell.sidebar ? 'Hide sidebar' : 'Show sidebar', hint: 'Ctrl+B', run: () => { shell.setSidebar(!shell.sidebar); } },
    { id: 'help', label: 'Keyboard shortcuts', hint: 'Ctrl+/', run: () => { shell.setHelp(true); } },
    ...conversationsOf(listed).map((c) => ({ id: `conv-${c.id}`, label: convo.titles[c.id] ?? c.title.split('\n')[0] ?? c.id, hint: 'conversation', run: () => { openRun(c.latest.runId); } })),
  ];

  return (
    <div className={`app${shell.sidebar ? '' : ' sidebar-hidden'}`}>
      {shell.sidebar && (
        <Sidebar
          panel={panel}
          runs={listed}
          titles={convo.titles}
          currentRunId={state.currentRunId}
          pendingQuestions={questions.length}
          model={model}
          theme={shell.theme}
          search={convo.search}
          actions={convo.actions}
          onTheme={shell.setTheme}
          onPanel={(id) => { setPanel(id); }}
          onSelectRun={openRun}
          onCollapse={() => { shell.setSidebar(false); }}
        />
      )}
      {shell.sidebar && <div className="scrim" aria-hidden="true" onClick={() => { shell.setSidebar(false); }} />}
      <main className="main">
        <header className="topbar">
          {!shell.sidebar && (
            <button type="button" className="ghost-button" aria-label="Show sidebar" aria-controls="sidebar" title="Show sidebar (Ctrl+B)" onClick={() => { shell.setSidebar(true); }}>
              ☰
            </button>
          )}
          <h1 className="topbar-title">{panel === 'chat' ? (conversationTitle?.split('\n')[0] ?? 'New chat') : PANELS.find((p) => p.id === panel)?.label}</h1>
          <button type="button" className="ghost-button" title="Command palette (Ctrl+K)" onClick={() => { shell.setPalette(true); }}>
            Search or jump… <kbd>Ctrl K</kbd>
          </button>
          <button type="button" className="ghost-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (Ctrl+/)" onClick={() => { shell.setHelp(true); }}>
            ?
          </button>
        </header>
        {hostBanner && <p className="error-line banner" role="status" aria-label="Runtime connection">{hostBanner}</p>}
        {data.connectionError && !explainedBy(startProblems, data.connectionError) && <p className="error-line banner" role="alert">{data.connectionError}</p>}
        <StartProblems problems={startProblems} />
        {panel === 'chat' && (
          <ChatView
            client={client}
            turns={turns}
            versions={thread?.versions ?? {}}
            conversationId={summary?.conversationId ?? thread?.path[0]}
            blocked={blocked}
            modelStatus={model}
            model={{ current, options, onPick: (ref) => { setPicked(ref === defaultRef ? undefined : ref); } }}
            comparison={comparison}
            compareViews={comparison?.runs.map((r) => state.runs[r.runId]) ?? []}
            feedbackOf={(runId) => runList.find((r) => r.runId === runId)?.feedback}
            onFeedback={feedback}
            onBranch={(runId, goal) => { begin(() => client.runs.start({ goal, branchOf: runId, ...withModel(current) })); }}
            onShowVersion={(runId) => { if (thread) selectRun(thread.leafOf(runId)); }}
            summary={summary}
            questions={questions}
            error={error}
            starting={starting}
            onSend={(goal) => { setComparison(undefined); begin(() => client.runs.start({ goal, ...(run?.finished ? { continueFrom: run.runId } : {}), ...withModel(current) })); }}
            onCompare={compare}
            onPickCompared={(runId) => { setComparison(undefined); selectRun(runId); }}
            onStop={() => { if (run) client.runs.abort(run.runId).catch((err: unknown) => { setError(errorText(err)); }); }}
            onResume={(runId) => { begin(() => client.runs.resume(runId)); }}
            onAnswer={answer}
          />
        )}
        {panel === 'setup' && <SetupPanel client={client} status={model} onChanged={data.reloadModel} onOpenSettings={(section) => { setSettingsSection({ id: section }); setPanel('settings'); }} />}
        {panel === 'approvals' && <ApprovalsPanel client={client} questions={questions} onAnswer={answer} />}
        {panel === 'skills' && <SkillsPanel client={client} />}
        {panel === 'memory' && <MemoryPanel client={client} />}
        {panel === 'knowledge' && <KnowledgePanel client={client} />}
        {panel === 'mcp' && <McpPanel client={client} />}
        {panel === 'schedules' && <SchedulesPanel client={client} />}
        {panel === 'traces' && <TracePanel client={client} runs={runList} />}
        {panel === 'insights' && <InsightsPanel client={client} />}
        {panel === 'settings' && <SettingsPanel client={client} section={settingsSection} onOpenPanel={setPanel} onModelChanged={data.reloadModel} />}
      </main>
      <CommandPalette open={shell.palette} commands={commands} onClose={() => { shell.setPalette(false); }} />
      <ShortcutsHelp open={shell.help} onClose={() => { shell.setHelp(false); }} />
      {convo.pending && (
        <UndoToast
          key={convo.pending.conversation.id}
          message={`Deleted “${(convo.titles[convo.pending.conversation.id] ?? convo.pending.conversation.title).split('\n')[0]!.slice(0, 60)}”${convo.pending.memory ? ' with its memory' : ''}`}
          onUndo={convo.undo}
          onExpire={convo.expire}
        />
      )}
    </div>
  );
}
