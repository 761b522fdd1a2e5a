// One runtime's telemetry while it is open: the SDK pipeline, export health, and the run events and hook calls that
// become spans and metrics. Loaded (with the OpenTelemetry packages) only when telemetry is on.
import type { SystemEvent } from '../../common/index.ts';
import { createRedactor } from '../base/index.ts';
import { otlpUrls, type ReinConfig } from '../config/index.ts';
import type { ExtensionHost } from '../extension.ts';
import type { ChatMessage, ToolSpec } from '../model/index.ts';
import { ContentGate } from './content.ts';
import { ExportHealth } from './export-health.ts';
import { RunMetrics } from './metrics.ts';
import { createPipeline, type Pipeline } from './pipeline.ts';
import { RunSpans } from './run-spans.ts';

/** At close, what is still queued gets this long to leave; then the process goes on without it. */
const CLOSE_TIMEOUT_MS = 2000;
/** …and this long when the collector is known to be down or hanging: no point waiting for it. */
const CLOSE_WHILE_FAILING_MS = 200;

export interface TelemetrySessionOptions {
  config: ReinConfig;
  host: ExtensionHost;
  /** W3C trace context this process's runs continue (a subagent's TRACEPARENT). */
  traceparent?: string;
  agentName: string;
  depth: number;
}

export class TelemetrySession {
  private readonly pipeline: Pipeline;
  private readonly health: ExportHealth;
  private readonly spans: RunSpans;
  private readonly unsubscribe: (() => void)[];

  private constructor(pipeline: Pipeline, health: ExportHealth, options: TelemetrySessionOptions) {
    this.pipeline = pipeline;
    this.health = health;
    const { config, host } = options;
    this.spans = new RunSpans({
      tracer: pipeline.tracer,
      metrics: pipeline.meter ? new RunMetrics(pipeline.meter) : undefined,
      content: new ContentGate(config.telemetry.capture_content, createRedactor(config.secrets)),
      parent: pipeline.parentContext(options.traceparent),
      agentName: options.agentName,
      depth: options.depth,
      toolSource: (name) => host.registry.get(name)?.source.kind,
    });
    this.unsubscribe = [
      host.onEvent((event) => {
        this.spans.onEvent(event);
        // A subagent's process ends soon after its run: its spans leave now (not awaited). Others batch.
        if (event.type === 'run.finished' && options.depth > 0) void this.pipeline.flush();
      }),
      host.onSystemEvent((event: SystemEvent) => {
        if (event.type === 'schedule.run') this.spans.onSystemEvent(event);
      }),
    ];
  }

  static async start(options: TelemetrySessionOptions): Promise<TelemetrySession> {
    const { config, host } = options;
    const health = new ExportHealth({
      dataDir: config.dataDir,
      protocol: config.telemetry.otlp.protocol,
      endpoints: otlpUrls(config.telemetry),
      notify: (level, message) => host.notify({ type: 'system.notice', level, source: 'telemetry', message }),
    });
    return new TelemetrySession(await createPipeline(config.telemetry, health), health, options);
  }

  traceparent(runId: string, callId: string): string | undefined {
    const span = this.spans.spanFor(runId, callId);
    return span ? this.pipeline.traceparentOf(span) : undefined;
  }

  chatStarting(runId: string, step: number, messages: readonly ChatMessage[], tools: readonly ToolSpec[]): void {
    this.spans.chatStarting(runId, step, messages, tools);
  }

  async close(): Promise<void> {
    for (const stop of this.unsubscribe) stop();
    this.spans.closeAll();
    await this.pipeline.shutdown(this.health.isFailing ? CLOSE_WHILE_FAILING_MS : CLOSE_TIMEOUT_MS);
    this.health.close();
  }
}
