// Runs recorded in the trace folder (<dataDir>/traces/<runId>.jsonl): what survives a restart.
import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent, RunSummary } from '../../common/index.ts';
import { ApiArgumentError, ApiNotFoundError } from './errors.ts';

const RUN_ID = /^[\w-]{1,100}$/;
const MAX_LISTED = 200;

export function traceDir(dataDir: string): string {
  return path.join(dataDir, 'traces');
}

/** The events of a finished or interrupted run, from its trace file; unreadable lines are skipped. */
export function readTrace(dir: string, runId: string): RunEvent[] {
  if (!RUN_ID.test(runId)) throw new ApiArgumentError(`"${runId}" is not a run id`);
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, `${runId}.jsonl`), 'utf8');
  } catch {
    throw new ApiNotFoundError(`no run "${runId}" (no trace file in ${dir})`);
  }
  return text.split('\n').flatMap((line) => {
    try {
      return line ? [JSON.parse(line) as RunEvent] : [];
    } catch {
      return [];
    }
  });
}

/** Runs in the trace folder with their file's modification time, newest first. */
export function tracedRuns(dir: string): { id: string; mtime: number }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((name) => name.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return names
    .map((name) => ({ id: name.slice(0, -'.jsonl'.length), mtime: fs.statSync(path.join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(0, MAX_LISTED);
}

/** A run's summary from its events; `live` tells a running run from an interrupted one. */
export function summarize(runId: string, events: readonly RunEvent[], live: boolean): RunSummary {
  // A session resumed in this process starts its live events with run.resumed.
  const started = events.find((e) => e.type === 'run.started' || e.type === 'run.resumed');
  const finished = events.findLast((e) => e.type === 'run.finished');
  const base = {
    runId,
    conversationId: (started?.type === 'run.started' ? started.conversationId : undefined) ?? runId,
    goal: started?.type === 'run.started' || started?.type === 'run.resumed' ? started.goal : '',
    ...(started ? { startedAt: started.time } : {}),
    ...(started?.type === 'run.started' || started?.type === 'run.resumed' ? { model: started.model } : {}),
  };
  if (finished?.type !== 'run.finished') {
    return { ...base, status: live ? 'running' : 'interrupted', usage: { promptTokens: 0, completionTokens: 0 } };
  }
  const { status, answer, reason, usage } = finished;
  return { ...base, status, usage, ...(answer === undefined ? {} : { answer }), ...(reason === undefined ? {} : { reason }) };
}

/** The goal of a run that continues `events`: the original goal plus what was done before it stopped. */
export function resumeGoal(events: readonly RunEvent[]): string {
  const started = events.find((e) => e.type === 'run.started');
  if (started?.type !== 'run.started') throw new ApiArgumentError('this run has no recorded start, so it cannot be resumed');
  const done = events.flatMap((event) => {
    if (event.type === 'tool.result') return [`- ${event.name}: ${event.ok ? clip(event.output ?? '') : `error: ${event.error ?? ''}`}`];
    return [];
  });
  const text = events.flatMap((e) => (e.type === 'model.delta' ? [e.text] : [])).join('');
  return [
    `Continue this task, which was interrupted: ${started.goal}`,
    done.length ? `Tool results so far:\n${done.join('\n')}` : 'No tool had finished yet.',
    text.trim() ? `Your partial answer so far:\n${clip(text, 1000)}` : '',
    'Do not repeat work that is already done.',
  ]
    .filter(Boolean)
    .join('\n\n');
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
