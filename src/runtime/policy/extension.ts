// Policy as a runtime capability: every tool call passes its middleware (rules, budgets, approvals), budgets are
// checked before each step, and offline mode guards the process's network while the runtime is open.
import type { AuditSink } from '../audit/index.ts';
import { ReinError, canonicalJson, createRedactor } from '../base/index.ts';
import { otlpUrls, policyRuleLabel, policyRuleSchema, type PolicyConfig, type PolicyRuleInput, type ReinConfig } from '../config/index.ts';
import type { Asker, ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { RunContext, RunHooks } from '../loop/index.ts';
import type { GuardedCall, ToolOutcome } from '../tools/index.ts';
import { localProbeUrls } from '../model/index.ts';
import { ApprovalDesk } from './approval-desk.ts';
import { openApprovalStore } from './open.ts';
import { argsHash, awaitApproval } from './approval-wait.ts';
import { RunBudget } from './budgets.ts';
import { installEgressGuard, parseEndpoint, type Endpoint } from './egress.ts';
import { pathBasesFor } from './path-bases.ts';
import { decide, type LabeledRule } from './rules.ts';

export class PolicyRuleError extends ReinError {}

export interface PolicyOptions {
  audit?: AuditSink;
  /** How often a waiting run looks for a decision made elsewhere (another terminal). */
  pollMs?: number;
}

interface RunState {
  budget: RunBudget;
  stop: (reason: string) => void;
}

/** Approval fatigue: the agent's own notes are written without asking (policy.notes: allow), audited and deletable. */
const NOTES_RULE: LabeledRule = {
  rule: { effect: 'allow', tool: 'remember', reason: "the agent's own notes are allowed (policy.notes: allow); each is audited and can be deleted in Memory" },
  label: 'policy.notes',
};

export class PolicyExtension implements RuntimeExtension {
  readonly name = 'policy';
  readonly essential = true;
  readonly hooks: RunHooks;
  private readonly audit: AuditSink | undefined;
  private readonly pollMs: number;
  private readonly derived = new Map<string, LabeledRule[]>();
  private readonly runs = new Map<string, RunState>();
  /** The runtime's config as it is now: Settings may change rules, defaults and budgets while it runs. */
  private current: (() => ReinConfig) | undefined;
  private audited: PolicyConfig | undefined;
  private deskInstance: ApprovalDesk | undefined;
  private ask: Asker | undefined;
  private releaseEgress: (() => void) | undefined;
  private closing: () => boolean = () => false;

  constructor(options: PolicyOptions = {}) {
    this.audit = options.audit;
    this.pollMs = options.pollMs ?? 500;
    this.hooks = {
      name: 'policy',
      onRunStart: (context) => this.startRun(context),
      beforeStep: ({ runId, usage }) => this.runs.get(runId)?.budget.check(usage),
      onRunFinish: async (result, { runId }) => {
        this.runs.get(runId)?.budget.dispose();
        this.runs.delete(runId);
        // A run stopped (or failed) for good: its pending approvals close. One interrupted by a shutdown keeps them,
        // answerable after the restart (the answer then serves the same call once).
        if (!this.closing()) await this.deskInstance?.closeRun(runId, result.status);
      },
    };
  }

  async start(host: ExtensionHost): Promise<void> {
    this.closing = () => host.closing;
    this.current = () => host.config;
    const policy = host.config.policy;
    this.audited = policy;
    this.ask = (question, signal) => host.ask(question, signal);
    host.guard.use((call, next) => this.enforce(call, next)); // before anything is awaited: the guard's order is the start order
    this.deskInstance = new ApprovalDesk(await openApprovalStore(host.config), this.audit, policy.always_ttl_s);
    await this.auditConfigChange(host.config);
    if (policy.offline) {
      this.releaseEgress = installEgressGuard(allowedEndpoints(host.config), (target) => {
        host.notify({ type: 'system.notice', level: 'error', source: 'policy', message: `offline mode blocked a connection to ${target} (policy.offline; add it to policy.allow_hosts to allow it)` });
        this.audit?.record('egress.blocked', { target });
      });
    }
  }

  /** Approvals and grants, for the shells (`rein approvals`, the desktop app). */
  get desk(): ApprovalDesk {
    if (!this.deskInstance) throw new PolicyRuleError('the policy capability is not started');
    return this.deskInstance;
  }

  /** Rules another capability derives (e.g. a skill's approval threshold); replaces that source's earlier rules. */
  addDerivedRules(source: string, rules: PolicyRuleInput[]): void {
    const labeled = rules.map((input, index) => {
      const parsed = policyRuleSchema.safeParse(input);
      if (!parsed.success) throw new PolicyRuleError(`${source}: rule ${index}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'rule'}: ${i.message}`).join('; ')}`);
      return { rule: parsed.data, label: `${source}.rules[${index}]` };
    });
    if (labeled.length) this.derived.set(source, labeled);
    else this.derived.delete(source);
    this.audit?.record('policy.change', { change: 'derived rules set', source, rules: labeled.map((r) => r.rule) });
  }

  async close(): Promise<void> {
    this.releaseEgress?.();
    this.releaseEgress = undefined;
    for (const run of this.runs.values()) run.budget.dispose();
    await this.deskInstance?.store.close();
  }

  /** A policy in rein.yaml that differs from the one the last runtime started with is a policy change. */
  private async auditConfigChange(config: ReinConfig): Promise<void> {
    const text = createRedactor(config.secrets)(canonicalJson(config.policy)); // stored: no ${env:} values at rest
    const previous = await this.desk.store.swapMeta('policy_config', text);
    if (previous === text) return;
    this.audit?.record('policy.change', { change: previous === undefined ? 'policy loaded' : 'policy config changed', file: config.file ?? null, policy: config.policy, previous: previous === undefined ? null : JSON.parse(previous) });
  }

  private startRun(context: RunContext): void {
    this.runs.set(context.runId, { budget: new RunBudget(this.config().budgets, context), stop: context.stop });
  }

  private async enforce(call: GuardedCall, next: () => Promise<ToolOutcome>): Promise<ToolOutcome> {
    const policy = this.config();
    const run = this.runs.get(call.runId);
    const spent = run?.budget.countCall(call.tool.name);
    if (spent) {
      run!.stop(spent);
      return refused(spent);
    }
    const facts = { tool: call.tool.name, capability: call.tool.capability, args: call.args, ...(this.current ? { pathBases: pathBasesFor(call.tool, this.current()) } : {}) };
    const grant = await this.desk.store.findGrant(call.tool.name, argsHash(call.args));
    const decision = decide(facts, this.rules(), policy.default, () => grant);
    if (decision.effect === 'deny') {
      call.emit({ type: 'policy.denied', step: call.step, callId: call.callId, tool: call.tool.name, rule: decision.rule, reason: decision.reason });
      this.audit?.record('policy.denied', { tool: call.tool.name, args: call.args, rule: decision.rule, reason: decision.reason }, call.runId);
      return refused(`denied by policy (${decision.rule}): ${decision.reason}`);
    }
    if (decision.effect === 'ask') {
      const outcome = await awaitApproval(
        this.desk,
        this.ask!,
        this.audit,
        { runId: call.runId, step: call.step, callId: call.callId, tool: call.tool.name, args: call.args, risk: call.tool.risk ?? call.tool.capability, decision, signal: call.signal, emit: call.emit, otherLiveRuns: [...this.runs.keys()].filter((id) => id !== call.runId) },
        { timeoutMs: policy.approval_timeout_s * 1000, pollMs: this.pollMs },
      );
      if (!outcome.allow) return refused(outcome.reason);
    }
    return next();
  }

  private rules(): LabeledRule[] {
    const policy = this.config();
    const configured = policy.rules.map((rule, index) => ({ rule, label: policyRuleLabel(rule, index) }));
    // Last: any deny or ask rule (the user's, or derived) still wins over it.
    const notes = policy.notes === 'allow' ? [NOTES_RULE] : [];
    return [...configured, ...[...this.derived.values()].flat(), ...notes];
  }

  private config(): PolicyConfig {
    if (!this.current) throw new PolicyRuleError('the policy capability is not started');
    const config = this.current();
    if (config.policy !== this.audited) {
      this.audited = config.policy;
      this.auditConfigChange(config); // changed in Settings while running
    }
    return config.policy;
  }
}

function refused(error: string): ToolOutcome {
  return { ok: false, error, durationMs: 0 };
}

/** The model servers (model and providers), enabled HTTP MCP servers, the OTLP collector (checked when the config
 * loaded) and policy.allow_hosts. */
export function allowedEndpoints(config: ReinConfig): Endpoint[] {
  const sources = [config.model, ...Object.values(config.providers)];
  const models = sources.map((m) => m.base_url).filter(Boolean);
  // provider auto looks for local servers on their usual ports. (The embedded engine's model host is reachable only
  // while a download the user started runs: models.pull, allowDuring.)
  const probes = sources.some((m) => m.provider === 'auto') ? localProbeUrls() : [];
  const urls = config.mcp_servers.filter((s) => s.enabled && 'url' in s).map((s) => (s as { url: string }).url);
  const telemetry = config.telemetry.enabled ? Object.values(otlpUrls(config.telemetry)) : [];
  return [...models, ...probes, ...urls, ...telemetry, ...config.policy.allow_hosts].map(parseEndpoint).concat(storeEndpoints(config));
}

/** The database servers memory.episodic / memory.semantic name (PostgreSQL 5432, Qdrant 6333 by default). */
function storeEndpoints(config: ReinConfig): Endpoint[] {
  return [config.memory.episodic, config.memory.semantic].flatMap((raw) => {
    if (!raw) return [];
    try {
      const url = new URL(raw);
      if (!url.hostname) return [];
      return [{ ...parseEndpoint(`${url.hostname.includes(':') ? `[${url.hostname}]` : url.hostname}`), port: Number(url.port || (/^qdrants?:$/.test(url.protocol) ? 6333 : 5432)) }];
    } catch {
      return [];
    }
  });
}
