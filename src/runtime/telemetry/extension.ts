// Telemetry as a capability: OpenTelemetry traces and metrics of every run, exported over OTLP. Listed in
// extensions.ts only when telemetry.enabled, and even then the SDK loads in start(): off, it costs nothing.
import type { ReinConfig } from '../config/index.ts';
import type { ExtensionHost, RuntimeExtension } from '../extension.ts';
import type { RunHooks } from '../loop/index.ts';
import type { TelemetrySession } from './session.ts';

export interface TelemetryOptions {
  /** W3C trace context the runs of this process continue (TRACEPARENT, set by a parent Rein for its subagent). */
  traceparent?: string;
  /** This process's agent: a subagent's role, else `rein`. */
  agentName?: string;
  depth?: number;
}

export class TelemetryExtension implements RuntimeExtension {
  readonly name = 'telemetry';
  private readonly config: ReinConfig;
  private readonly options: TelemetryOptions;
  private session: TelemetrySession | undefined;

  constructor(config: ReinConfig, options: TelemetryOptions = {}) {
    this.config = config;
    this.options = options;
  }

  async start(host: ExtensionHost): Promise<void> {
    const { TelemetrySession } = await import('./session.ts');
    this.session = await TelemetrySession.start({
      config: this.config,
      host,
      ...(this.options.traceparent ? { traceparent: this.options.traceparent } : {}),
      agentName: this.options.agentName ?? 'rein',
      depth: this.options.depth ?? 0,
    });
  }

  readonly hooks: RunHooks = {
    name: 'telemetry',
    // The last hook before each model call sees the prompt and tools as sent: the `chat` span starts here.
    selectTools: (tools, messages, context) => {
      this.session?.chatStarting(context.runId, context.step, messages, tools);
      return tools;
    },
  };

  /** The `traceparent` of a tool call's span, for the subagent that call starts. */
  traceparent(runId: string, callId: string): string | undefined {
    return this.session?.traceparent(runId, callId);
  }

  async close(): Promise<void> {
    await this.session?.close();
    this.session = undefined;
  }
}
