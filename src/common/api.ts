// The runtime API contract. The Electron preload exposes it over IPC; `rein serve` over HTTP + WebSocket.
import type { RunEvent, RunStatus, Usage } from './events.ts';

export interface StartRunRequest {
  goal: string;
}

export interface StartRunResponse {
  runId: string;
}

export interface RunSummary {
  runId: string;
  goal: string;
  status: RunStatus | 'running';
  answer?: string;
  reason?: string;
  usage: Usage;
}

export interface ModelStatus {
  provider: string;
  model: string;
  host: string;
  reachable: boolean;
  present: boolean;
  error?: string;
}

export type Unsubscribe = () => void;

export interface RuntimeApi {
  startRun(request: StartRunRequest): Promise<StartRunResponse>;
  abortRun(runId: string): Promise<void>;
  listRuns(): Promise<RunSummary[]>;
  modelStatus(): Promise<ModelStatus>;
  /** Receives every event of every run, in order per run. */
  onEvent(listener: (event: RunEvent) => void): Unsubscribe;
}

/** Method names the shells may expose; anything else is rejected. */
export const RUNTIME_API_METHODS = ['startRun', 'abortRun', 'listRuns', 'modelStatus'] as const;
export type RuntimeApiMethod = (typeof RUNTIME_API_METHODS)[number];

export const EVENT_CHANNEL = 'rein:event';
