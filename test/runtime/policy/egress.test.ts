import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SystemEvent } from '../../../src/common/index.ts';
import { EgressBlockedError, Runtime } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';

/** A TCP server counting the connections it accepted. */
async function listener(): Promise<{ port: number; accepted: () => number; close: () => Promise<void> }> {
  let accepted = 0;
  const server = net.createServer((socket) => {
    accepted++;
    socket.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, accepted: () => accepted, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function connect(port: number, host = '127.0.0.1'): Promise<'connected' | Error> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error) => resolve(error));
  });
}

describe('offline egress guard', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('blocks a real connection to a loopback port that is not allowed, with an error event naming it; the model host still works', async () => {
    const other = await listener();
    const runtime = new Runtime({ config: testConfig('', ollama.url), trace: false });
    const notices: SystemEvent[] = [];
    runtime.onSystemEvent((event) => notices.push(event));
    await runtime.start();
    try {
      const outcome = await connect(other.port);
      expect(outcome).toBeInstanceOf(EgressBlockedError);
      expect((outcome as Error).message).toContain(`offline mode blocked a connection to 127.0.0.1:${other.port}`);
      await expect(fetch(`http://localhost:${other.port}/`)).rejects.toThrow(`blocked a connection to localhost:${other.port}`);
      expect(other.accepted()).toBe(0);
      expect(notices).toContainEqual(expect.objectContaining({ type: 'system.notice', level: 'error', source: 'policy', message: expect.stringContaining(`127.0.0.1:${other.port}`) }));

      ollama.script([{ content: 'model reachable' }]);
      expect((await runtime.startRun('hi').result).answer).toBe('model reachable');
    } finally {
      await runtime.close();
    }
    expect(await connect(other.port)).toBe('connected'); // restored once the runtime is closed
    await other.close();
  });

  it('policy.allow_hosts opens a host; policy.offline: false turns the guard off', async () => {
    const other = await listener();
    const allowed = new Runtime({ config: testConfig(`policy: { allow_hosts: ["localhost:${other.port}"] }`, ollama.url), trace: false });
    await allowed.start();
    expect(await connect(other.port)).toBe('connected'); // loopback names are interchangeable
    await allowed.close();

    const online = new Runtime({ config: testConfig('policy: { offline: false }', ollama.url), trace: false });
    await online.start();
    expect(await connect(other.port)).toBe('connected');
    await online.close();
    expect(other.accepted()).toBe(2);
    await other.close();
  });
});

describe('allowDuring (a download the user started, in offline mode)', () => {
  it('lets the operation reach its host while it runs, and blocks it again afterwards; without a guard it changes nothing', async () => {
    const { allowDuring, installEgressGuard } = await import('../../../src/runtime/policy/index.ts');
    const host = await listener();
    const release = installEgressGuard([], () => undefined);
    try {
      expect(await connect(host.port)).toBeInstanceOf(EgressBlockedError);
      expect(await allowDuring([`127.0.0.1:${host.port}`], () => connect(host.port))).toBe('connected');
      expect(await connect(host.port)).toBeInstanceOf(EgressBlockedError);
    } finally {
      release();
    }
    expect(await allowDuring([], () => connect(host.port))).toBe('connected'); // no guard: nothing restricted
    expect(host.accepted()).toBe(2);
    await host.close();
  });
});
