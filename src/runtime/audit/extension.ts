// Records every tool call (arguments and outcome), every model call (provider, host, model, tokens) and whatever
// other capabilities report, in the audit log.
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { GuardedCall, ToolOutcome } from '../tools/index.ts';
import { createRedactor, type Redactor } from '../base/index.ts';
import { openAuditStore, type AuditStore } from './open.ts';

/** Tool output is kept in the log up to this many characters. */
const OUTPUT_CHARS = 4000;

/** What other capabilities use to write to the audit log (policy decisions, skill and memory writes). */
export interface AuditSink {
  record(kind: string, data: unknown, runId?: string): void;
}

export class AuditExtension implements RuntimeExtension, AuditSink {
  readonly name = 'audit';
  readonly essential = true;
  private log: AuditStore | undefined;
  private redact: Redactor = (text) => text;

  /** Entries recorded while the log opens (other capabilities start at the same time). */
  private early: [string, unknown, string | undefined][] | undefined = [];

  async start(host: ExtensionHost): Promise<void> {
    // Before anything is awaited: this middleware must wrap policy's, so refused calls are audited too.
    this.redact = createRedactor(host.config.secrets);
    host.guard.use((call, next) => this.auditCall(call, next));
    // Every model call of a run: who answered (provider, server, model) and what it cost — where the data went.
    // A subagent's calls are answered by this Rein's model client (over its stdio): they count here too, named.
    host.onEvent((event) => {
      const call = event.type === 'agent.event' ? event.event : event;
      if (call.type !== 'model.completed') return;
      const { step, provider, host: server, model, usage, durationMs, toolCalls } = call;
      const subagent = event.type === 'agent.event' ? { subagent: event.agentId } : {};
      this.record('model.call', { step, provider, host: server, model, usage, toolCalls, durationMs, ...subagent }, event.runId);
    });
    try {
      this.log = await openAuditStore(host.config, {
        onError: (message) => host.notify({ type: 'system.notice', level: 'error', source: this.name, message }),
      });
    } finally {
      const early = this.early ?? [];
      this.early = undefined;
      for (const [kind, data, runId] of early) this.log?.record(kind, data, runId);
    }
  }

  record(kind: string, data: unknown, runId?: string): void {
    if (this.early) this.early.push([kind, data, runId]);
    else this.log?.record(kind, data, runId);
  }

  /** Every entry recorded so far is written (a shared log writes off the tool call's path). */
  async flush(): Promise<void> {
    await this.log?.flush();
  }

  async close(): Promise<void> {
    const log = this.log;
    this.log = undefined;
    await log?.close();
  }

  private async auditCall(call: GuardedCall, next: () => Promise<ToolOutcome>): Promise<ToolOutcome> {
    const started = { tool: call.tool.name, callId: call.callId, step: call.step, capability: call.tool.capability, args: call.args };
    let outcome: ToolOutcome;
    try {
      outcome = await next();
    } catch (error) {
      this.record('tool.call', { ...started, ok: false, error: String(error) }, call.runId);
      throw error;
    }
    // Redact before cutting: a secret cut at the boundary would keep its first characters.
    const result = outcome.ok ? { output: outcome.output === undefined ? undefined : this.redact(outcome.output).slice(0, OUTPUT_CHARS) } : { error: outcome.error };
    this.record('tool.call', { ...started, ok: outcome.ok, ...result, durationMs: outcome.durationMs }, call.runId);
    await this.flush(); // a shared log writes in the background: the call's entry is stored before the run goes on
    return outcome;
  }
}
