// `rein sessions` lists the sessions in memory; `rein sessions show <id>` prints one session's episodic log. With a
// host running on the data dir they come from the host (its live runs show as running), else from the database.
import { describeCompaction, type MemorySession, type RunEvent, type RuntimeApi } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import { errorMessageOf, openMemoryStore, type MemoryStore, type ReinConfig } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

const PREVIEW_CHARS = 120;

export const sessions: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [sub, id, ...rest] = args;
    if (sub !== undefined && (sub !== 'show' || !id || rest.length)) {
      io.stderr.write('rein: use `rein sessions` or `rein sessions show <id>`\n');
      return ExitCode.usage;
    }
    return withSessions(config(), io, (store) => (id ? showSession(store, id, options.json === true, io) : listSessions(store, options.json === true, io)));
  },
};

/** What the listing reads: the memory database in-process, or the running host's memory API. */
interface Sessions {
  location: string;
  listSessions(): Promise<SessionRow[]>;
  getSession(id: string): Promise<SessionRow | undefined>;
  sessionEvents(id: string): Promise<RunEvent[]>;
}

type SessionRow = Pick<MemorySession, 'id' | 'title' | 'goal' | 'status' | 'updatedAt' | 'steps' | 'usage'>;

async function withSessions(config: ReinConfig, io: CliIo, body: (store: Sessions) => Promise<number>): Promise<number> {
  const host = await attachToHost(config, io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') {
    try {
      return await body(hostSessions(host.api, `the host (pid ${host.info.pid})`));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      io.stderr.write(`rein: ${error.message}\n`);
      return ExitCode.failed;
    } finally {
      host.close();
    }
  }
  let store: MemoryStore;
  try {
    store = await openMemoryStore(config);
  } catch (error) {
    io.stderr.write(`rein: ${errorMessageOf(error)}\n`);
    return ExitCode.failed;
  }
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

async function listSessions(store: Sessions, json: boolean, io: CliIo): Promise<number> {
  const list = await store.listSessions();
  if (json) {
    for (const session of list) io.stdout.write(`${JSON.stringify(session)}\n`);
    return ExitCode.ok;
  }
  if (!list.length) {
    io.stdout.write(`no sessions yet in ${store.location}\n`);
    return ExitCode.ok;
  }
  const rows = list.map((s) => [s.id, s.status, String(s.steps), tokens(s), s.updatedAt.slice(0, 16).replace('T', ' '), s.title]);
  const header = ['SESSION', 'STATUS', 'STEPS', 'TOKENS', 'UPDATED', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows]) io.stdout.write(`${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}\n`);
  return ExitCode.ok;
}

async function showSession(store: Sessions, id: string, json: boolean, io: CliIo): Promise<number> {
  const session = await store.getSession(id);
  if (!session) {
    io.stderr.write(`rein: no session ${id} in ${store.location} (rein sessions lists them)\n`);
    return ExitCode.usage;
  }
  const events = await store.sessionEvents(id);
  if (json) {
    for (const event of events) io.stdout.write(`${JSON.stringify(event)}\n`);
    return ExitCode.ok;
  }
  io.stdout.write(`session ${session.id} · ${session.status} · ${session.steps} steps · ${tokens(session)} tokens\ngoal: ${session.goal}\n\n`);
  for (const line of logLines(events)) io.stdout.write(`${line}\n`);
  return ExitCode.ok;
}

/** One line per event; a step's streamed deltas are joined into one line. */
export function logLines(events: readonly RunEvent[]): string[] {
  const lines: string[] = [];
  let text: { first: number; last: number; step: number; time: string; text: string } | undefined;
  const flush = () => {
    if (text) lines.push(`#${text.first}-${text.last}`.padEnd(10) + `${text.time.slice(11, 19)}  model.delta      step ${text.step}: ${preview(text.text)}`);
    text = undefined;
  };
  for (const event of events) {
    if (event.type === 'model.delta') {
      if (text && text.step === event.step) {
        text.last = event.seq;
        text.text += event.text;
      } else {
        flush();
        text = { first: event.seq, last: event.seq, step: event.step, time: event.time, text: event.text };
      }
      continue;
    }
    flush();
    lines.push(`#${event.seq}`.padEnd(10) + `${event.time.slice(11, 19)}  ${event.type.padEnd(16)} ${preview(detail(event))}`);
  }
  flush();
  return lines;
}

function detail(event: RunEvent): string {
  switch (event.type) {
    case 'run.started':
    case 'run.resumed':
      return `${event.type === 'run.resumed' ? `from step ${event.fromStep} · ` : ''}${event.provider} ${event.model} · goal: ${event.goal}`;
    case 'tool.called':
      return `step ${event.step}: ${event.name}(${JSON.stringify(event.args) ?? ''})`;
    case 'tool.result':
      return `step ${event.step}: ${event.name} ${event.ok ? 'ok' : event.unknownOutcome ? 'unknown outcome' : 'failed'}: ${event.ok ? (event.output ?? '') : (event.error ?? '')}`;
    case 'run.finished':
      return `${event.status}${event.answer ? `: ${event.answer}` : event.reason ? `: ${event.reason}` : ''}`;
    case 'memory.compacted':
      return `step ${event.step}: ${describeCompaction(event)}`;
    default: {
      const { runId: _runId, seq: _seq, time: _time, type: _type, ...rest } = event;
      return JSON.stringify(rest);
    }
  }
}

/** The host's sessions in the shape of the memory store's (status `interrupted` when no live run continues one). */
function hostSessions(api: RuntimeApi, location: string): Sessions {
  return {
    location,
    listSessions: () => api.memory.sessions(),
    getSession: async (id) => (await api.memory.sessions()).find((s) => s.id === id),
    sessionEvents: (id) => api.memory.episodes(id),
  };
}

function tokens(session: SessionRow): string {
  return String(session.usage.promptTokens + session.usage.completionTokens);
}

function preview(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
