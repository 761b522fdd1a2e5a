// `rein secrets set|delete NAME` stores a key that rein.yaml then names as api_key: keychain:NAME — here Jan's key,
// used by rein doctor and rein run against a scripted Jan-like server that insists on it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOpenAi } from '../support/scripted-openai.ts';

describe('rein secrets', () => {
  let jan: ScriptedOpenAi;
  const keys = tempDir('rein-secrets-');
  const home = tempDir();
  const env = { REIN_HOME: home, REIN_KEYCHAIN: 'file', REIN_KEYCHAIN_DIR: keys };
  beforeAll(async () => {
    jan = await ScriptedOpenAi.start({ kind: 'generic', apiKey: 'sk-jan-123', replies: () => ({ content: 'Hello from Jan.' }) });
    fs.writeFileSync(path.join(home, 'rein.yaml'), `model:\n  provider: openai_compatible\n  flavor: jan\n  base_url: ${jan.baseUrl}\n  api_key: keychain:jan\n`);
  });
  afterAll(() => jan.close());

  it('stores a piped key that rein.yaml uses as keychain:NAME, and deletes it', async () => {
    const before = await runRein(['doctor'], { env, cwd: home });
    expect(before.code).toBe(2);
    expect(before.stderr).toContain('no secret "jan" in the keychain — store it with `rein secrets set jan`');

    const set = await runRein(['secrets', 'set', 'jan'], { env, stdin: 'sk-jan-123\n' });
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(/stored secret jan in .*readable by you only.* — use it in rein\.yaml as api_key: keychain:jan/);
    expect(set.stdout).not.toContain('sk-jan-123');

    const doctor = await runRein(['doctor'], { env, cwd: home });
    expect(doctor.stdout).toContain(`✓ Jan reachable at ${jan.baseUrl} (1 model served)`);
    expect(doctor.stdout).toContain('✓ model local-model is served (the one the server serves: model.name is not set)');
    expect(doctor.stdout).toMatch(/⚠ context: Jan does not report it — Rein assumes 4096 tokens\n {2}fix: set model\.num_ctx/);
    expect(jan.requests.at(-1)?.auth).toBe('Bearer sk-jan-123');

    const run = await runRein(['run', 'say hello'], { env, cwd: home });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Hello from Jan.');
    expect(run.stderr).toContain('rein · openai_compatible local-model · ');
    expect(run.stderr).toContain(`⚠ model: Jan at ${jan.baseUrl} does not report the context window of local-model`);
    expect(run.stderr).not.toContain('sk-jan-123');

    const removed = await runRein(['secrets', 'delete', 'jan'], { env });
    expect(removed).toMatchObject({ code: 0, stdout: 'deleted secret jan\n' });
    expect(await runRein(['secrets', 'delete', 'jan'], { env })).toMatchObject({ code: 1, stderr: 'rein secrets: no secret named jan\n' });
  });

  it('refuses bad usage: no name, a bad name, no value', async () => {
    expect((await runRein(['secrets', 'set'], { env })).code).toBe(2);
    expect((await runRein(['secrets', 'set', 'a b'], { env })).stderr).toMatch(/"a b" is not a secret name/);
    const empty = await runRein(['secrets', 'set', 'x'], { env, stdin: '' });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('no value given for x');
  });
});
