// Records every tool call (arguments and outcome), every model call (provider, host, model, tokens) and whatever
// other capabilities report, in the audit log.
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { GuardedCall, ToolOutcome } from '../tools/index.ts';
import { createRedactor, type Redactor } from '../base/index.ts';
import { openAuditLog, type AuditLog } from './audit-log.ts';

/** Tool output is kept in the log up to this many characters. */
const OUTPUT_CHARS = 4000;

/** What other capabilities use to write to the audit log (policy decisions, skill and memory writes). */
export interface AuditSink {
  record(kind: string, data: unknown, runId?: string): void;
}

export class AuditExtension implements RuntimeExtension, AuditSink {
  readonly name = 'audit';
  private log: AuditLog | undefined;
  private redact: Redactor = (text) => text;

  start(host: ExtensionHost): void {
    this.log = openAuditLog(host.config);
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
  }

  record(kind: string, data: unknown, runId?: string): void {
    this.log?.record(kind, data, runId);
  }

  close(): void {
    this.log?.close();
    this.log = undefined;
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
    return outcome;
  }
}
