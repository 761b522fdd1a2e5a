// A finished run's events — what Export writes, what the host's conversation search reads, what every client is
// sent — have secrets redacted exactly like the stored session: an ${env:} value and token shapes never in clear.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Tool } from '../../../src/runtime/index.ts';
import { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { testConfig } from '../../support/fixtures.ts';
import { startApi } from './helpers.ts';

const SECRET = 'hunter2-vault-token-0123456789';

const leak: Tool = {
  name: 'leak',
  description: 'prints a secret',
  parameters: { type: 'object', properties: {} },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async () => `the token is ${SECRET} and ghp_abcdefghijklmnopqrstuvwxyz0123`,
};

describe('live run events are redacted before they are kept', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('the finished run\'s events, the run list and the conversation search hold no secret in clear', async () => {
    const config = testConfig('policy:\n  allow_hosts: ["${env:VAULT}"]\n', ollama.url, { VAULT: SECRET });
    const { runtime, client } = await startApi(config, [leak]);
    ollama.script([{ toolCalls: [{ name: 'leak', arguments: {} }] }, { content: `logged in with ${SECRET}` }]);
    const seen: string[] = [];
    client.onEvent((event) => seen.push(JSON.stringify(event)));
    const { runId } = await client.runs.start({ goal: `log in with ${SECRET}` });
    await runtime.getRun(runId)!.result;

    const events = JSON.stringify(await client.runs.events(runId));
    expect(events).toContain('[REDACTED]');
    expect(events).not.toContain(SECRET);
    expect(events).not.toContain('ghp_abcdefghij');
    expect(seen.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(await client.runs.list())).not.toContain(SECRET);
    expect(await client.conversations.search('hunter2')).toEqual([]);
    const found = await client.conversations.search('logged in with');
    expect(found).toHaveLength(1);
    expect(found[0]!.snippet).toContain('[REDACTED]');
    // The same as the stored session.
    const stored = JSON.stringify(await client.memory.episodes(runId));
    expect(stored).not.toContain(SECRET);
    await runtime.close();
  });
});
