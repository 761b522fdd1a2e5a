// Messages between the host (parent) and a sandbox worker process, over Node's IPC channel. Values cross as JSON
// strings, as they do between the worker and its isolate.
import type { SandboxFailure } from './errors.ts';

/** Limits one execution runs under (the worker's copy of SandboxLimits). */
export interface ExecutionLimits {
  memoryMb: number;
  cpuTimeoutMs: number;
  wallTimeoutMs: number;
  maxOutputChars: number;
}

export type ToParent =
  | { type: 'ready'; rssMb: number }
  | { type: 'log'; id: number; level: string; line: string }
  | { type: 'tool'; id: number; callId: number; name: string; argsJson: string }
  /** The execution ended; `rssMb` is the worker's size afterwards (the parent retires a bloated worker). */
  | { type: 'done'; id: number; rssMb: number; ok: true; raw: string; cpuMs: number }
  | { type: 'done'; id: number; rssMb: number; ok: false; kind: SandboxFailure; message: string }
  /** The worker is about to end itself (memory watchdog, catastrophic isolate error). */
  | { type: 'fatal'; kind: SandboxFailure; message: string; catastrophic?: string };

export type ToWorker =
  | { type: 'run'; id: number; code: string; inputJson: string; toolNames: string[]; limits: ExecutionLimits }
  | { type: 'tool-result'; id: number; callId: number; json: string }
  | { type: 'abort'; id: number; message: string };
