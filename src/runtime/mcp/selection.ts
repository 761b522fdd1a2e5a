// Tool load limiting for small models: with more tools than runtime.max_tools_per_turn, each model call gets
// the built-in tools, pinned and recently used MCP tools, and the most relevant of the rest; `find_tools`
// lets the model search everything. Every narrowed step emits `tools.offered`.
import type { ChatMessage, ToolSpec } from '../model/index.ts';
import type { StepContext } from '../loop/index.ts';
import type { Tool, ToolRegistry } from '../tools/index.ts';
import { byKeywords, namedIn, type Ranking, type ToolRanker } from './ranking.ts';

export const FIND_TOOLS = 'find_tools';
const FOUND_LIMIT = 3;
const RECENT_LIMIT = 4;
const RANKED_LIMIT = 4;
/** A tool its own server calls deprecated is not offered unasked (find_tools still finds it). */
const DEPRECATED = /\bdeprecated\b/i;

export interface SelectionDeps {
  registry: ToolRegistry;
  ranker: ToolRanker;
  limit: number;
  /** Exposed names of pinned MCP tools. */
  pinned(): ReadonlySet<string>;
}

export class ToolSelection {
  private readonly deps: SelectionDeps;
  /** Per run: what the model's last find_tools call found (offered first from the next step on). */
  private readonly found = new Map<string, string[]>();
  private readonly warned = new Set<string>();
  /** Per run: the MCP tools offered at the last step, in order (they only grow while the prompt's prefix holds). */
  private readonly offered = new Map<string, string[]>();
  private readonly lastRanking = new Map<string, Ranking>();

  constructor(deps: SelectionDeps) {
    this.deps = deps;
  }

  async select(tools: ToolSpec[], messages: readonly ChatMessage[], context: StepContext): Promise<ToolSpec[]> {
    const isMcp = (t: ToolSpec) => this.deps.registry.get(t.name)?.source.kind === 'mcp';
    const others = tools.filter((t) => !isMcp(t) && t.name !== FIND_TOOLS);
    const mcp = tools.filter(isMcp);
    // Within a run the set only grows while the prompt's prefix holds. When it does not (a compaction), the set is kept
    // still if it stayed near the limit (the cached tools and system prompt remain a prefix), else chosen afresh.
    const last = this.offered.get(context.runId);
    const slots = Math.max(0, this.deps.limit - others.length - 1);
    const previous = last && (context.freshPrefix === false || last.length <= slots + FOUND_LIMIT) ? last : undefined;
    if ((!previous || previous.length === mcp.length) && others.length + mcp.length <= this.deps.limit) {
      this.offered.set(context.runId, mcp.map((t) => t.name));
      return [...others, ...mcp];
    }

    // Pinned and already used tools always stay; tools from the last find_tools come next, then the most relevant.
    const byName = (names: Iterable<string>) => [...new Set(names)].flatMap((n) => mcp.filter((t) => t.name === n));
    const kept = byName([...this.deps.pinned(), ...usedTools(messages)]);
    const found = byName(this.found.get(context.runId) ?? []).filter((t) => !kept.includes(t));
    let names: string[];
    let ranking: Ranking | undefined;
    if (previous) {
      // The prompt extends the previous step's: offer the same tools in the same order, new ones appended, so the
      // model server reuses what it already evaluated (chat templates render the tools at the top).
      names = [...new Set([...previous, ...kept.map((t) => t.name), ...found.map((t) => t.name), ...mcp.filter((t) => this.goalNames(context, t)).map((t) => t.name)])];
    } else {
      const rest = mcp.filter((t) => !kept.includes(t) && !found.includes(t));
      const ranked = await this.deps.ranker.rank(queryOf(context.goal, messages), rest, context.signal);
      ranking = ranked.ranking;
      // Said once per runtime (the first run that needs it), not in every chat.
      if (ranked.fallback && !this.warned.has('runtime')) {
        this.warned.add('runtime');
        context.emit({ type: 'run.notice', level: 'info', source: 'mcp', message: `tools are ranked by keywords (${ranked.fallback})` });
      }
      // Only the best few ranked tools: each costs prompt tokens on every step, and find_tools reaches the rest.
      const best = ranked.tools.filter((t) => !DEPRECATED.test(t.description)).slice(0, RANKED_LIMIT);
      names = [...kept, ...found, ...best].slice(0, Math.max(slots, kept.length)).map((t) => t.name);
    }
    const present = new Set(mcp.map((t) => t.name));
    names = names.filter((n) => present.has(n));
    this.offered.set(context.runId, names);
    const chosen = new Set(names);
    // find_tools sits before the MCP tools, so tools appended later extend the list the server has seen.
    const offered = [...others, ...tools.filter((t) => t.name === FIND_TOOLS), ...byName(names)];
    context.emit({
      type: 'tools.offered',
      step: context.step,
      offered: offered.map((t) => t.name),
      hidden: mcp.filter((t) => !chosen.has(t.name)).map((t) => t.name),
      ranking: ranking ?? this.lastRanking.get(context.runId) ?? 'keyword',
    });
    if (ranking) this.lastRanking.set(context.runId, ranking);
    return offered;
  }

  /** A tool the goal names by its name (with or without the server prefix). */
  private goalNames(context: StepContext, tool: ToolSpec): boolean {
    return namedIn(context.goal, tool.name);
  }

  /** The built-in tool that searches every MCP tool, offered only when tools are being limited. */
  findTool(): Tool {
    return {
      name: FIND_TOOLS,
      description: 'Search all available tools by what you want to do. Found tools can be called from your next step on.',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string', description: 'what the tool should do, e.g. "read a file"' } },
        required: ['query'],
      },
      capability: 'read',
      source: { kind: 'builtin' },
      run: async (args, context) => {
        const all = this.deps.registry.list().filter((t) => t.source.kind === 'mcp');
        const query = String(args.query);
        const ranked = (await this.deps.ranker.rank(query, all, context.signal)).tools;
        // Words the model typed count first; the ranker's order breaks ties.
        const matches = byKeywords(query, ranked).slice(0, FOUND_LIMIT);
        this.found.set(context.runId, matches.map((t) => t.name));
        if (matches.length === 0) return 'No tools are available.';
        return `Tools you can call from your next step on:\n${matches.map((t) => `- ${t.name}: ${t.description}`).join('\n')}`;
      },
    };
  }

  forgetRun(runId: string): void {
    this.found.delete(runId);
    this.warned.delete(runId);
    this.offered.delete(runId);
    this.lastRanking.delete(runId);
  }
}

/** The last few distinct tools the model called, most recent first. */
function usedTools(messages: readonly ChatMessage[]): string[] {
  const calls = messages.flatMap((m) => (m.role === 'assistant' ? (m.toolCalls ?? []).map((c) => c.name) : []));
  return [...new Set(calls.reverse())].slice(0, RECENT_LIMIT);
}

/** The goal and the latest turns: what the next step is about. */
function queryOf(goal: string, messages: readonly ChatMessage[]): string {
  const recent = messages.filter((m) => m.role !== 'system').slice(-3).map((m) => m.content.slice(0, 500));
  return [goal, ...recent].join('\n');
}
