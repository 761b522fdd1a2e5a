// The conversations section: user titles, removal (off the list, traces deleted) and search over prompts/answers.
import fs from 'node:fs';
import path from 'node:path';
import type { ConversationMatch, ConversationsApi, RunsApi } from '../../common/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { conversationStore } from './conversation-store.ts';
import { ApiArgumentError, ApiNotFoundError } from './errors.ts';
import { traceDir } from './run-history.ts';

/** Runs read per search at most (newest first): keeps a search quick on a long history. */
const SEARCH_RUNS = 300;
const SNIPPET = 60;

export function conversationsSection(runtime: ApiRuntime, runs: RunsApi): ConversationsApi {
  const store = () => conversationStore(runtime.config);
  return {
    titles: async () => (await store()).titles(),
    rename: async (conversationId, title) => {
      await known(runs, conversationId);
      await (await store()).rename(conversationId, title);
    },
    remove: async (conversationId, options = {}) => {
      const ids = await known(runs, conversationId);
      for (const runId of ids) if (runtime.isLive(runId)) throw new ApiArgumentError(`run ${runId} of this conversation is still running; stop it first`);
      const memory = runtime.services.memory;
      if (options.memory && !memory) throw new ApiArgumentError('memory is not enabled, so there is no memory to delete');
      if (options.memory) for (const runId of ids) await memory!.deleteSession(runId).catch((error: unknown) => { if (!(error instanceof ApiNotFoundError)) throw error; });
      await (await store()).remove(conversationId);
      for (const runId of ids) fs.rmSync(path.join(traceDir(runtime.config.dataDir), `${runId}.jsonl`), { force: true });
    },
    search: async (query) => {
      const needle = query.trim().toLowerCase();
      const titles = await (await store()).titles();
      const list = (await runs.list()).slice(0, SEARCH_RUNS);
      const matches = new Map<string, ConversationMatch>();
      const firstGoal = new Map<string, string>();
      for (const run of list) firstGoal.set(run.conversationId, run.goal); // oldest last in a newest-first list
      for (const run of list) {
        if (matches.has(run.conversationId)) continue;
        const title = titles[run.conversationId] ?? firstGoal.get(run.conversationId) ?? run.goal;
        if (title.toLowerCase().includes(needle)) {
          matches.set(run.conversationId, { conversationId: run.conversationId, runId: run.runId, title, snippet: title });
          continue;
        }
        const events = await runs.events(run.runId).catch(() => []);
        const finished = events.findLast((e) => e.type === 'run.finished');
        const texts = [run.goal, finished?.type === 'run.finished' ? (finished.answer ?? '') : ''];
        const hit = texts.find((t) => t.toLowerCase().includes(needle));
        if (hit) matches.set(run.conversationId, { conversationId: run.conversationId, runId: run.runId, title, snippet: around(hit, needle) });
      }
      return [...matches.values()];
    },
  };
}

async function known(runs: RunsApi, conversationId: string): Promise<string[]> {
  const ids = (await runs.list()).filter((r) => r.conversationId === conversationId).map((r) => r.runId);
  if (!ids.length) throw new ApiNotFoundError(`no conversation ${conversationId}`);
  return ids;
}

function around(text: string, needle: string): string {
  const at = text.toLowerCase().indexOf(needle);
  const start = Math.max(0, at - SNIPPET);
  const end = Math.min(text.length, at + needle.length + SNIPPET);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
}
