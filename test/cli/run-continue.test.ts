import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/common/index.ts';
import { runRein } from '../support/cli.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { tempDir } from '../support/fixtures.ts';

describe('rein run --continue', () => {
  let ollama: ScriptedOllama;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    env = { OLLAMA_HOST: ollama.url, REIN_HOME: tempDir() };
  });
  afterAll(() => ollama.close());

  it('asks a follow-up that sees the earlier question and answer, and records the conversation', async () => {
    ollama.script([{ content: '391' }, { content: 'Doubled: 782.' }]);
    const first = await runRein(['run', '--json', 'What is 17 * 23?'], { env });
    expect(first.code).toBe(0);
    const id = (JSON.parse(first.stdout.split('\n')[0]!) as RunEvent).runId;

    const followUp = await runRein(['run', '--json', '--continue', id, 'Double it.'], { env });
    expect(followUp.code).toBe(0);
    const events = followUp.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent).filter((e) => 'runId' in e);
    expect(events[0]).toMatchObject({ type: 'run.started', goal: 'Double it.', conversationId: id, continues: id });
    expect(events.at(-1)).toMatchObject({ type: 'run.finished', answer: 'Doubled: 782.' });
    expect(ollama.chatRequests[1]!.messages.slice(1).map(({ role, content }) => ({ role, content }))).toEqual([
      { role: 'user', content: 'What is 17 * 23?' },
      { role: 'assistant', content: '391' },
      { role: 'user', content: 'Double it.' },
    ]);
  });

  it('explains bad use: unknown run, no goal, together with --resume; --help shows it', async () => {
    expect(await runRein(['run', '--continue', 'run_nope', 'more'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('run_nope') });
    expect((await runRein(['run', '--continue', 'run_nope'], { env })).code).toBe(2);
    expect((await runRein(['run', '--continue', 'run_a', '--resume', 'run_b', 'more'], { env })).code).toBe(2);
    expect((await runRein(['--help'], { env })).stdout).toContain('--continue <run id>');
  });
});
