// One running subagent as its parent sees it: the process (or the engine's client attached to its container), the MCP
// client on its stdio, how it ended, and ending it so nothing is left behind.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { containerExit, removeContainer, removeContainerNow, type ContainerEngine } from '../containers/index.ts';
import type { ChildCommand } from './backends.ts';
import { ChildProcessTransport } from './child-transport.ts';
import { trackChild } from './processes.ts';

/** What V8 prints when a heap limit ends the process. */
const HEAP_EXHAUSTED = /heap out of memory|Reached heap limit|Allocation failed/i;

export interface ChildContainer {
  engine: ContainerEngine;
  name: string;
  memoryMb: number;
  /** The config key that set its memory limit, for the report. */
  limitKey: string;
}

export interface EndedOnItsOwn {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The engine's word on a container that exited. */
  oomKilled?: boolean;
}

/**
 * One subagent process (or the engine client attached to its container) with its MCP client. `end()` closes its
 * stdin (a subagent ends when it closes), then — 2 s apart — SIGTERM and SIGKILL, or for a container `rm --force`.
 */
export class RunningChild {
  readonly client = new Client({ name: 'rein-parent', version: '0.1.0' }, { capabilities: { elicitation: { form: {} }, sampling: { tools: {} } } });
  connected = false;
  readonly modelViaParent: boolean;
  readonly container: ChildContainer | undefined;
  private readonly transport: ChildProcessTransport;
  private readonly removeHome: () => void;
  private readonly heap: { mb: number; key: string };
  private untrack: (() => void) | undefined;

  constructor(command: ChildCommand, removeHome: () => void, options: { modelViaParent: boolean; heap: { mb: number; key: string }; container?: ChildContainer }) {
    this.transport = new ChildProcessTransport(command);
    this.removeHome = removeHome;
    this.modelViaParent = options.modelViaParent;
    this.heap = options.heap;
    this.container = options.container;
  }

  get pid(): number | undefined {
    return this.transport.pid;
  }

  async connect(): Promise<void> {
    const connecting = this.client.connect(this.transport);
    // connect() spawns the process synchronously: track its pid before the handshake can fail.
    this.track();
    await connecting;
    this.connected = true;
  }

  private track(): void {
    const pid = this.transport.pid;
    const container = this.container;
    if (pid && !this.untrack) this.untrack = trackChild({ pid, ...(container ? { cleanup: () => removeContainerNow(container.engine, container.name) } : {}) });
  }

  /** After it failed on its own: how it ended (waiting a moment for the exit to be seen). */
  async endedOnItsOwn(): Promise<EndedOnItsOwn | undefined> {
    if (!(await this.transport.exitsWithin(3000))) return undefined;
    const status = await this.transport.exited;
    if (!this.container) return status;
    const state = await containerExit(this.container.engine, this.container.name).catch(() => undefined);
    return { ...status, ...(state?.oomKilled ? { oomKilled: true } : {}) };
  }

  /** Why it died, if it was memory: the report's words, else undefined. */
  diedForMemory(ended: EndedOnItsOwn): string | undefined {
    const container = this.container;
    if (container) {
      // The kernel's OOM killer sends SIGKILL (exit 137). Not every engine can tell on every kernel (cgroup v1).
      if (ended.oomKilled) return `was killed for memory: its container went over ${container.memoryMb} MB (${container.limitKey})`;
      if (ended.code === 137) return `was killed (SIGKILL, exit 137), most likely for memory: its container may use ${container.memoryMb} MB (${container.limitKey})`;
      return undefined;
    }
    return HEAP_EXHAUSTED.test(this.transport.stderr) ? `was killed for memory: its heap went over ${this.heap.mb} MB (${this.heap.key})` : undefined;
  }

  /** V8's own line about the heap (its native stack trace after it says nothing to a user). */
  heapError(): string {
    const line = this.transport.stderr.split('\n').find((text) => HEAP_EXHAUSTED.test(text));
    return line ? `\n${line.trim()}` : '';
  }

  stderrTail(): string {
    const tail = this.transport.stderr.trim();
    return tail ? `\n--- its stderr (last lines) ---\n${tail.split('\n').slice(-10).join('\n')}` : '';
  }

  async end(): Promise<void> {
    try {
      await this.client.close();
      if (!(await this.transport.exitsWithin(2000))) {
        if (this.container) await removeContainer(this.container.engine, this.container.name).catch(() => undefined);
        else this.transport.kill('SIGTERM');
        if (!(await this.transport.exitsWithin(2000))) this.transport.kill('SIGKILL');
      }
      // Run without --rm, so how it ended could be read; removed here in every case.
      if (this.container) await removeContainer(this.container.engine, this.container.name).catch(() => undefined);
    } finally {
      this.untrack?.();
      this.removeHome();
    }
  }
}
