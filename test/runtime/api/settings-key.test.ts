// The model's API key typed in Settings (through the API, as the app sends it): kept in the keychain of the default
// selection (the OS keychain, else the 0600 file), named in rein.yaml, never shown back, used by the next run against
// a scripted Anthropic server that accepts only that key; a refused save leaves the keychain as it was; removing
// the key forgets it.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, RuntimeApi } from '../../../src/common/index.ts';
import { createApiClient } from '../../../src/common/index.ts';
import { Runtime, callApi, createRuntimeApi, parseConfig } from '../../../src/runtime/index.ts';
import { openKeychain } from '../../../src/runtime/keychain/index.ts';
import { startScriptedAnthropic, type ScriptedAnthropic } from '../../support/scripted-anthropic.ts';
import { tempDir } from '../../support/fixtures.ts';

const KEY = 'sk-ant-settings-0123456789';

function finished(api: RuntimeApi): Promise<Extract<ApiEvent, { type: 'run.finished' }>> {
  return new Promise((resolve) => {
    const off = api.onEvent((event) => {
      if (event.type === 'run.finished') {
        off();
        resolve(event);
      }
    });
  });
}

describe('the model API key from Settings', () => {
  let server: ScriptedAnthropic;
  let runtime: Runtime;
  let api: RuntimeApi;
  let client: RuntimeApi;
  let file: string;
  const keychain = openKeychain();

  beforeAll(async () => {
    server = await startScriptedAnthropic({ apiKey: KEY, replies: () => ({ content: 'Hello from Claude.' }) });
    const dir = tempDir();
    file = path.join(dir, 'rein.yaml');
    fs.writeFileSync(file, `# keys never live here\nmodel:\n  provider: anthropic\n  base_url: ${server.url}\n  name: claude-sonnet-5-5\n`);
    const env = { REIN_HOME: tempDir() };
    runtime = new Runtime({ config: parseConfig(fs.readFileSync(file, 'utf8'), { file, env, baseDir: dir }), retry: { retries: 0 } });
    api = createRuntimeApi(runtime);
    client = createApiClient({ invoke: (method, args) => callApi(api, method, JSON.parse(JSON.stringify(args)) as unknown[]), subscribe: (l) => api.onEvent(l) });
    await runtime.start();
    keychain.delete('rein.secrets', 'anthropic');
  });
  afterAll(async () => {
    keychain.delete('rein.secrets', 'anthropic');
    await runtime.close();
    await server.close();
  });

  it('says there is no key; a run without one fails and says so', async () => {
    expect((await client.config.settings()).values['model.api_key']).toBeNull();
    const done = finished(api);
    await client.runs.start({ goal: 'hello' });
    const event = await done;
    expect(event).toMatchObject({ status: 'failed', reason: expect.stringMatching(/refused the key.*Settings → Model → API key/) as unknown });
  });

  it('stores a typed key in the keychain, names it in rein.yaml and uses it for the next run', async () => {
    const result = await client.config.updateSettings([{ secret: 'model.api_key', value: `  ${KEY}\n` }]);
    expect(result.ok).toBe(true);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('api_key: keychain:anthropic');
    expect(text).toContain('# keys never live here');
    expect(text).not.toContain(KEY);
    expect(keychain.get('rein.secrets', 'anthropic')?.value).toBe(KEY);
    const settings = await client.config.settings();
    expect(settings.values['model.api_key']).toBe('keychain:anthropic');
    expect(JSON.stringify(settings)).not.toContain(KEY);
    const done = finished(api);
    await client.runs.start({ goal: 'hello again' });
    expect((await done).status).toBe('completed');
    expect(server.requests.at(-1)?.headers.authorization ?? server.requests.at(-1)?.headers['x-api-key']).toContain(KEY);
  });

  it('a refused save puts the stored key back and writes nothing', async () => {
    const before = fs.readFileSync(file, 'utf8');
    const result = await client.config.updateSettings([{ secret: 'model.api_key', value: 'sk-other' }, { key: 'model.temperature', value: 7 }]);
    expect(result).toMatchObject({ ok: false, issues: [{ key: 'model.temperature' }] });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(keychain.get('rein.secrets', 'anthropic')?.value).toBe(KEY);
  });

  it('refuses a key with spaces inside, naming the field', async () => {
    const result = await client.config.updateSettings([{ secret: 'model.api_key', value: 'not a key' }]);
    expect(result).toMatchObject({ ok: false, issues: [{ key: 'model.api_key', message: expect.stringMatching(/one line without spaces/) as unknown }] });
  });

  it('removing the key takes it out of rein.yaml and the keychain', async () => {
    const result = await client.config.updateSettings([{ key: 'model.api_key', value: null }]);
    expect(result.ok).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).not.toContain('api_key');
    expect(keychain.get('rein.secrets', 'anthropic')).toBeUndefined();
    expect((await client.config.settings()).values['model.api_key']).toBeNull();
  });
});
