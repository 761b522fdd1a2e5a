// Shared setup for the MCP tests: a runtime with only the MCP capability, real servers, event capture.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { McpServerState, RunEvent, RunEventInput, SystemEvent, UserAnswer, UserQuestion } from '../../../src/common/index.ts';
import { McpService, Runtime, type McpServerStatus } from '../../../src/runtime/index.ts';
import { testConfig } from '../../support/fixtures.ts';

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const EVERYTHING = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const FILESYSTEM = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-filesystem/dist/index.js');
export const MEMORY = path.join(ROOT, 'node_modules/@modelcontextprotocol/server-memory/dist/index.js');
export const FIXTURE = path.join(ROOT, 'test/support/mcp-fixture-server.ts');

export interface McpHarness {
  runtime: Runtime;
  mcp: McpService;
  system: SystemEvent[];
  questions: UserQuestion[];
  /** Calls a registered tool through the guarded path, as the loop does. */
  call(name: string, args?: Record<string, unknown>): Promise<{ ok: boolean; output?: string; error?: string; events: RunEventInput[] }>;
  status(server: string): McpServerStatus;
  waitFor(server: string, state: McpServerState, minRestarts?: number): Promise<McpServerStatus>;
  close(): Promise<void>;
}

export async function startMcp(
  yaml: string,
  options: { host?: string; answer?: (q: UserQuestion) => UserAnswer | Promise<UserAnswer>; restartDelayMs?: number } = {},
): Promise<McpHarness> {
  const mcp = new McpService({ restartDelayMs: options.restartDelayMs ?? 100 });
  const questions: UserQuestion[] = [];
  const runtime = new Runtime({
    config: testConfig(yaml, options.host ?? 'http://127.0.0.1:9'),
    extensions: [mcp],
    trace: false,
    ask: async (question) => {
      questions.push(question);
      return (await options.answer?.(question)) ?? { action: 'decline', reason: 'test' };
    },
  });
  const system: SystemEvent[] = [];
  const listeners = new Set<() => void>();
  runtime.onSystemEvent((event) => {
    system.push(event);
    listeners.forEach((l) => l());
  });
  await runtime.start();
  const status = (server: string) => mcp.servers().find((s) => s.name === server)!;
  return {
    runtime,
    mcp,
    system,
    questions,
    status,
    async call(name, args = {}) {
      const events: RunEventInput[] = [];
      const result = await runtime.guard.invoke(
        { id: `call-${Math.random()}`, name, arguments: args },
        { runId: 'test-run', step: 1, signal: new AbortController().signal, emit: (e) => events.push(e) },
      );
      return { ok: result.ok, output: result.output, error: result.error, events };
    },
    waitFor(server, state, minRestarts = 0) {
      return new Promise((resolve) => {
        const check = () => {
          const s = status(server);
          if (s.state === state && s.restarts >= minRestarts) {
            listeners.delete(check);
            resolve(s);
          }
        };
        listeners.add(check);
        check();
      });
    },
    close: () => runtime.close(),
  };
}

export function stdioServer(name: string, file: string, args: string[] = [], extra = ''): string {
  return `  - name: ${name}\n    command: ${JSON.stringify(process.execPath)}\n    args: ${JSON.stringify([file, ...args])}\n${extra}`;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts server-everything in an HTTP mode and resolves once it listens. */
export async function startEverythingHttp(mode: 'sse' | 'streamableHttp'): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [EVERYTHING, mode], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (/listening on port|running on port/i.test(seen)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`server-everything ${mode} exited (${code}): ${seen}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

export function eventsOf<T extends RunEvent['type']>(events: RunEventInput[], type: T): Extract<RunEventInput, { type: T }>[] {
  return events.filter((e): e is Extract<RunEventInput, { type: T }> => e.type === type);
}
