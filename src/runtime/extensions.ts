// The one place that lists the runtime's capabilities, in the order their run hooks apply, and links them.
import { AgentsExtension, ENV_TRACEPARENT, scopeFromEnv } from './agents/index.ts';
import { AuditExtension, type AuditSink } from './audit/index.ts';
import type { PolicyRuleInput, ReinConfig } from './config/index.ts';
import type { RuntimeExtension } from './extension.ts';
import { PolicyExtension } from './policy/index.ts';
import { McpService } from './mcp/index.ts';
import { SkillsExtension, type Skill } from './skills/index.ts';
import { MemoryExtension, createEmbedder, type Embedder, type NoteChange } from './memory/index.ts';
import { KnowledgeExtension } from './knowledge/index.ts';
import { TelemetryExtension } from './telemetry/index.ts';

export interface DefaultExtensionsOptions {
  /** Where vectors come from (a subagent: its parent); default memory.embed_model through the configured providers. */
  embedder?: Embedder;
}

export function defaultExtensions(config: ReinConfig, options: DefaultExtensionsOptions = {}): RuntimeExtension[] {
  const audit = new AuditExtension(); // first: its middleware wraps policy's, so refused calls are audited too
  const policy = new PolicyExtension({ audit });
  // One embedding model (memory.embed_model) for memory, skill retrieval and MCP tool ranking.
  const embedder = options.embedder ?? createEmbedder(config, config.memory.embed_model);
  const embed = (texts: string[], signal?: AbortSignal) => embedder.embed(texts, signal);
  // A subagent uses only its role's skills (the parent passes them in REIN_AGENT_SKILLS).
  const scope = scopeFromEnv(process.env);
  const only = scope.skills;
  // Subagents never learn skills (their parent's run does).
  const skills = new SkillsExtension(config, { embed, learn: scope.depth === 0, ...(only ? { only } : {}) });
  const agents = new AgentsExtension(config);
  agents.setSkillProvider(() => skills.library.listSkills());
  // Opt-in. A subagent's runs continue the trace of the call that started it (its parent passes TRACEPARENT).
  const telemetry = config.telemetry.enabled
    ? new TelemetryExtension(config, { traceparent: process.env[ENV_TRACEPARENT], agentName: scope.role ?? 'rein', depth: scope.depth })
    : undefined;
  if (telemetry) agents.setTraceContext((runId, callId) => telemetry.traceparent(runId, callId));
  return [
    audit,
    policy,
    new McpService({ embed }),
    skills,
    linkSkills(skills, policy, audit),
    agents,
    ...(config.knowledge.enabled ? [new KnowledgeExtension(config)] : []),
    // Shapes the working context within the token budget: keep it last. Every note written or deleted is audited.
    new MemoryExtension(config, { embedder, onNoteChange: (change) => audit.record(`memory.${change.action}`, change, noteSession(change)) }),
    // After memory: its selectTools hook sees the prompt and tools exactly as sent to the model.
    ...(telemetry ? [telemetry] : []),
  ];
}

function noteSession(change: NoteChange): string | undefined {
  if (change.action === 'remember') return change.note.sessionId;
  return change.action === 'forget' ? change.sessionId : undefined; // the user's own changes belong to no run
}

/**
 * Skills ↔ policy and audit: every skill's `approval_threshold_usd` becomes policy `ask` rules (set at start, after
 * each skill write and before each run, so hand edits count too); every new skill version is audited.
 */
export function linkSkills(skills: SkillsExtension, policy: PolicyExtension, audit: AuditSink): RuntimeExtension {
  let applied = '[]'; // no rules until a skill has a threshold
  const sync = () => {
    const rules = skills.library.validate({ ifChanged: true }).skills.flatMap(thresholdRules);
    const key = JSON.stringify(rules);
    if (key === applied) return;
    policy.addDerivedRules('skills', rules);
    applied = key;
  };
  let stop: (() => void) | undefined;
  return {
    name: 'skill-links',
    start() {
      stop = skills.library.store.onVersion((change) => {
        audit.record('skill.change', change);
        sync();
      });
      sync();
    },
    hooks: { name: 'skill-links', onRunStart: () => sync() },
    close: () => stop?.(),
  };
}

/**
 * A skill with `approval_threshold_usd: T` asks before (1) any call of its tools (`required_mcp_tools` and
 * `allowed_tools`, by their own name or as `<server>__<tool>`) whose `amount` argument is above T, and (2) `run_skill`
 * of that skill with `input.amount` above T. Amounts may be numbers or text like "$1,200". A call does not say which
 * skill it serves, so (1) holds in every run: with several skills on one tool, the lowest threshold wins.
 */
export function thresholdRules(skill: Skill): PolicyRuleInput[] {
  const limit = skill.approval_threshold_usd;
  if (limit === undefined || !skill.approved) return [];
  const reason = `skill ${skill.name}: amounts above $${limit} need approval (approval_threshold_usd)`;
  const tools = [...new Set([...skill.required_mcp_tools, ...skill.allowed_tools])];
  const toolRule: PolicyRuleInput[] = tools.length ? [{ effect: 'ask', tool: tools.flatMap((t) => [t, `*__${t}`]), when: { 'args.amount': { gt: limit } }, reason }] : [];
  return [...toolRule, { effect: 'ask', tool: 'run_skill', when: { 'args.name': { eq: skill.name }, 'args.input.amount': { gt: limit } }, reason }];
}
