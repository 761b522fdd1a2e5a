import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ModelEgressError, parseConfig, resolveModelRef, tightenPolicy, verifyModelEgress } from '../../../src/runtime/config/index.ts';
import { openKeychain } from '../../../src/runtime/keychain/index.ts';
import { tempDir } from '../../support/fixtures.ts';

function issuesOf(text: string, env: NodeJS.ProcessEnv = {}): { path: string; message: string; line?: number }[] {
  try {
    parseConfig(text, { file: '/project/rein.yaml', env: { REIN_HOME: tempDir(), REIN_MACHINE_POLICY: '/nonexistent/policy.yaml', ...env } });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const parse = (text: string, env: NodeJS.ProcessEnv = {}) => parseConfig(text, { env: { REIN_HOME: tempDir(), REIN_MACHINE_POLICY: '/nonexistent/policy.yaml', ...env } });

describe('model providers in rein.yaml', () => {
  it('takes the seed-style Anthropic config when policy allows cloud models, with the key from the environment', () => {
    const config = parse(
      ['model: { provider: anthropic, name: claude-sonnet-4-5, temperature: 0.2, api_key: "${env:ANTHROPIC_KEY}" }', 'policy: { model_egress: any }'].join('\n'),
      { ANTHROPIC_KEY: 'sk-ant-secret' },
    );
    expect(config.model).toMatchObject({ provider: 'anthropic', name: 'claude-sonnet-4-5', base_url: 'https://api.anthropic.com', api_key: 'sk-ant-secret', temperature: 0.2 });
    expect(config.secrets).toContain('sk-ant-secret');
  });

  it('gives an OpenAI-compatible flavor its usual local port, and needs base_url without one', () => {
    expect(parse('model: { provider: openai_compatible, flavor: lmstudio, name: qwen2.5-7b-instruct }').model).toMatchObject({ base_url: 'http://127.0.0.1:1234/v1', flavor: 'lmstudio' });
    expect(parse('model: { provider: openai_compatible, base_url: "http://localhost:8080/v1/" }').model).toMatchObject({ base_url: 'http://localhost:8080/v1', flavor: 'auto', name: '' });
    expect(issuesOf('model: { provider: openai_compatible }')).toEqual([expect.objectContaining({ path: 'model.base_url', message: expect.stringContaining('needs base_url') })]);
  });

  it('refuses an API key written into the file, naming the line and the fix', () => {
    const issues = issuesOf('model:\n  provider: openai_compatible\n  base_url: http://127.0.0.1:8080/v1\n  api_key: sk-live-1234\n');
    expect(issues).toEqual([expect.objectContaining({ path: 'model.api_key', line: 4, message: expect.stringMatching(/must not be written into rein.yaml.*\$\{env:NAME\}.*keychain:NAME/) })]);
  });

  it('reads keychain:NAME from the keychain, and says how to store it when it is missing', () => {
    const keys = tempDir();
    const env = { REIN_KEYCHAIN: 'file', REIN_KEYCHAIN_DIR: keys };
    expect(issuesOf('model: { provider: openai_compatible, flavor: vllm, api_key: "keychain:vllm" }', env)).toEqual([
      expect.objectContaining({ path: 'model.api_key', message: expect.stringContaining('rein secrets set vllm') }),
    ]);
    openKeychain({ env }).set('rein.secrets', 'vllm', 'token-from-keychain');
    const config = parse('model: { provider: openai_compatible, flavor: vllm, api_key: "keychain:vllm" }', env);
    expect(config.model.api_key).toBe('token-from-keychain');
    expect(config.secrets).toContain('token-from-keychain'); // redacted like ${env:} values
  });

  it('names keys that do not apply to the provider', () => {
    const issues = issuesOf('model: { provider: ollama, flavor: vllm, threads: 2, host: http://127.0.0.1:1, base_url: http://127.0.0.1:2 }');
    expect(issues.map((i) => i.path).sort()).toEqual(['model.flavor', 'model.host', 'model.threads']);
    expect(issuesOf('model: { provider: embedded, base_url: http://127.0.0.1:1 }')[0]).toMatchObject({ path: 'model.base_url', message: expect.stringContaining('takes no base_url') });
  });

  it('keeps old configs: `host` means Ollama, as does OLLAMA_HOST', () => {
    expect(parse('model: { host: http://127.0.0.1:11500, name: llama3.2 }').model).toMatchObject({ provider: 'ollama', base_url: 'http://127.0.0.1:11500' });
    expect(parse('', { OLLAMA_HOST: '127.0.0.1:9999' }).model).toMatchObject({ provider: 'ollama', base_url: 'http://127.0.0.1:9999', name: 'qwen3:4b' });
  });
});

describe('policy.model_egress', () => {
  it('local_only (the default) refuses Anthropic and an OpenAI-compatible server on another host, saying how to change it', () => {
    const cloud = issuesOf('model: { provider: anthropic, api_key: "${env:K}" }', { K: 'k' });
    expect(cloud).toEqual([expect.objectContaining({ path: 'model.provider', line: 1, message: expect.stringMatching(/api\.anthropic\.com.*local_only.*model_egress: allow_list.*allowed_model_hosts/) })]);
    const lan = issuesOf('model: { provider: openai_compatible, base_url: "http://192.168.1.20:8000/v1" }');
    expect(lan).toEqual([expect.objectContaining({ path: 'model.base_url', message: expect.stringContaining('192.168.1.20') })]);
    const named = issuesOf('providers:\n  gpu: { provider: openai_compatible, base_url: "http://gpu-box.lan:8000/v1" }\n');
    expect(named).toEqual([expect.objectContaining({ path: 'providers.gpu.base_url', line: 2 })]);
  });

  it('any accepts them; loopback is always fine', () => {
    expect(parse('model: { provider: anthropic, api_key: "${env:K}" }\npolicy: { model_egress: any }', { K: 'k' }).model.provider).toBe('anthropic');
    expect(parse('model: { provider: openai_compatible, base_url: "http://[::1]:8080/v1" }').model.base_url).toBe('http://[::1]:8080/v1');
    expect(parse('model: { provider: openai_compatible, base_url: "http://localhost:8080/v1" }').model.provider).toBe('openai_compatible');
  });

  it('allow_list accepts a listed host by name, and another name only when DNS gives the same addresses', async () => {
    const listed = parse('model: { provider: openai_compatible, base_url: "http://10.0.0.5:8000/v1" }\npolicy: { model_egress: allow_list, allowed_model_hosts: ["10.0.0.5:8000"] }');
    expect(listed.model.base_url).toBe('http://10.0.0.5:8000/v1');
    expect(issuesOf('model: { provider: openai_compatible, base_url: "http://10.0.0.6:8000/v1" }\npolicy: { model_egress: allow_list, allowed_model_hosts: ["10.0.0.5"] }')[0]?.message).toContain('add 10.0.0.6 to policy.allowed_model_hosts');
    // A name that resolves to a listed address passes after DNS; one that does not is refused.
    const policy = { model_egress: 'allow_list' as const, allowed_model_hosts: ['127.0.0.2'] };
    const model = parse('model: { provider: openai_compatible, base_url: "http://127.0.0.2:8000/v1" }').model;
    await expect(verifyModelEgress({ ...model, base_url: 'http://example.invalid:8000/v1' }, policy, 'model')).rejects.toBeInstanceOf(ModelEgressError);
    await expect(verifyModelEgress({ ...model, base_url: 'http://localhost:8000/v1' }, policy, 'model')).resolves.toBeUndefined();
  });

  it('a machine policy tightens the user file, never loosens it', () => {
    const dir = tempDir();
    const machine = path.join(dir, 'policy.yaml');
    fs.writeFileSync(machine, 'policy:\n  model_egress: local_only\n  offline: true\n');
    const env = { REIN_MACHINE_POLICY: machine, K: 'k' };
    const issues = issuesOf('model: { provider: anthropic, api_key: "${env:K}" }\npolicy: { model_egress: any, offline: false }', env);
    expect(issues[0]?.message).toMatch(new RegExp(`machine policy ${machine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} sets policy.model_egress: local_only`));
    const local = parse('policy: { model_egress: any, offline: false }', env);
    expect(local.policy).toMatchObject({ model_egress: 'local_only', offline: true });
    expect(local.machinePolicy).toEqual({ file: machine, forced: ['model_egress', 'offline'] });
    // Looser than the user: the user's stricter setting stands.
    fs.writeFileSync(machine, 'policy: { model_egress: any }\n');
    expect(parse('', env).policy.model_egress).toBe('local_only');
    expect(tightenPolicy({ ...local.policy, model_egress: 'allow_list', allowed_model_hosts: ['a', 'b'] }, { model_egress: 'allow_list', allowed_model_hosts: ['B', 'c'] }).policy.allowed_model_hosts).toEqual(['b']);
  });

  it('a machine policy file that is wrong stops Rein, naming the file (fail closed)', () => {
    const machine = path.join(tempDir(), 'policy.yaml');
    fs.writeFileSync(machine, 'policy: { model_egress: sometimes }\n');
    expect(() => parse('', { REIN_MACHINE_POLICY: machine })).toThrow(new RegExp(`${machine}.*machine policy: "sometimes" is not a choice: use one of local_only, allow_list, any`, 's'));
  });
});

describe('naming a model per run', () => {
  const config = parse(
    [
      'model: { provider: ollama, name: qwen3:4b }',
      'providers:',
      '  lmstudio: { provider: openai_compatible, flavor: lmstudio, name: qwen2.5-7b-instruct }',
      '  claude: { provider: anthropic, api_key: "${env:K}" }',
      'policy: { model_egress: any }',
    ].join('\n'),
    { K: 'k' },
  );

  it('a bare name (colons included) is a model of the configured provider', () => {
    expect(resolveModelRef(config, 'llama3.2:3b')).toMatchObject({ source: 'model', provider: 'ollama', name: 'llama3.2:3b' });
  });

  it('<provider id>:name and <kind>:name pick another source', () => {
    expect(resolveModelRef(config, 'lmstudio:')).toMatchObject({ source: 'lmstudio', name: 'qwen2.5-7b-instruct', base_url: 'http://127.0.0.1:1234/v1' });
    expect(resolveModelRef(config, 'lmstudio:gemma-3-4b')).toMatchObject({ source: 'lmstudio', name: 'gemma-3-4b' });
    expect(resolveModelRef(config, 'anthropic:claude-haiku-4-5')).toMatchObject({ source: 'claude', provider: 'anthropic', name: 'claude-haiku-4-5' });
    expect(resolveModelRef(config, 'embedded:/models/tiny.gguf')).toMatchObject({ provider: 'embedded', name: '/models/tiny.gguf', base_url: '' });
  });

  it('a run cannot name a model the egress policy forbids', () => {
    const local = parse('model: { provider: ollama }');
    expect(() => resolveModelRef(local, 'anthropic:claude-sonnet-4-5')).toThrow(ModelEgressError);
    expect(() => resolveModelRef(local, 'anthropic:claude-sonnet-4-5')).toThrow(/anthropic:claude-sonnet-4-5: .*local_only/);
  });
});
