// The app-wide data every view shares: run events folded per run, the session list, pending questions, model status.
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ModelStatus, PendingQuestion, RunSummary, RuntimeApi } from '../../common/index.ts';
import { unavailableCapability } from './client.ts';
import { conversationRuns } from './conversations.ts';
import { runsReducer } from './run-state.ts';

export function useAppData(client: RuntimeApi) {
  const [state, dispatch] = useReducer(runsReducer, { runs: {} });
  const [runList, setRunList] = useState<RunSummary[]>([]);
  const [questions, setQuestions] = useState<PendingQuestion[]>([]);
  const [model, setModel] = useState<ModelStatus>();
  const [connectionError, setConnectionError] = useState<string>();

  const reloadRuns = useCallback(() => {
    client.runs.list().then(
      (list) => { setRunList(list); setConnectionError(undefined); },
      // Memory that did not start is said once, by the start-problems banner; anything else is a connection problem.
      (error: unknown) => { setConnectionError(unavailableCapability(error) ? undefined : error instanceof Error ? error.message : String(error)); },
    );
  }, [client]);
  const reloadModel = useCallback(() => {
    client.models.status().then(setModel, () => undefined);
  }, [client]);

  useEffect(() => {
    reloadRuns();
    reloadModel();
    client.questions.pending().then(setQuestions, () => undefined);
    return client.onEvent((event) => {
      switch (event.type) {
        case 'question.asked':
          setQuestions((list) => [...list.filter((q) => q.id !== event.question.id), event.question]);
          return;
        case 'question.resolved':
          setQuestions((list) => list.filter((q) => q.id !== event.id));
          return;
        case 'model.status':
          setModel(event.status);
          return;
        case 'conversation.titled':
        case 'model.pull.progress':
        case 'system.notice':
        case 'mcp.server.status':
        case 'skills.reloaded':
        case 'skill.learning':
        case 'schedule.run':
        case 'knowledge.progress':
          return;
        default:
          dispatch({ type: 'event', event });
          if (event.type === 'run.started' || event.type === 'run.finished') reloadRuns();
      }
    });
  }, [client, reloadRuns, reloadModel]);

  /**
   * Shows a run with the earlier turns of its conversation; past runs are loaded from their recorded events.
   * `reload`: load them again even if shown (after a host restart, events may have passed while disconnected).
   */
  const selectRun = useCallback(
    (runId: string | undefined, reload = false) => {
      dispatch({ type: 'select', runId });
      if (!runId) return;
      for (const id of conversationRuns(runList, runId)) {
        if (!reload && state.runs[id]?.items.length) continue;
        client.runs.events(id).then((events) => { dispatch({ type: 'load', runId: id, events }); }, () => undefined);
      }
    },
    [client, state.runs, runList],
  );

  return { state, dispatch, runList, questions, model, reloadModel, reloadRuns, selectRun, connectionError };
}
