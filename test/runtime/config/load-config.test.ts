import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, TrustStore, loadConfig, parseConfig } from '../../../src/runtime/config/index.ts';
import { tempDir } from '../../support/fixtures.ts';

function configError(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    parseConfig(text, { file: '/project/rein.yaml', env });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('rein.yaml', () => {
  it('an empty file gives the documented defaults', () => {
    const config = parseConfig('', { env: { REIN_HOME: '/data/rein' }, baseDir: '/project' });
    // No provider written: the first local source that answers (Ollama, a local OpenAI-compatible server, the embedded engine).
    expect(config.model).toMatchObject({ provider: 'auto', name: '', base_url: '', temperature: 0.2 });
    expect(config.policy).toMatchObject({ model_egress: 'local_only', allowed_model_hosts: [] });
    expect(config.runtime).toMatchObject({ max_steps: 25, step_timeout_s: 120, tool_timeout_s: 20, max_output_chars: 16000, loop_window: 4 });
    expect(config.mcp_servers).toEqual([]);
    expect(config.skills).toMatchObject({ registry: '/project/skills', user_dir: '/data/rein/skills', auto_learn: true, min_confidence: 0.4, learned_need_approval: true });
    expect(config.sandbox).toMatchObject({ memory_mb: 64, cpu_timeout_ms: 2000, wall_timeout_ms: 10000, run_js_tools: [] });
    expect(config.memory).toEqual({ path: '/data/rein/rein.db', max_working_tokens: 8000, embed_model: 'nomic-embed-text', compact_threshold: 0.9, compact_target: 0.3, compact_mode: 'in_context', verbatim_turns: 1, recall_limit: 5, max_note_chars: 20_000 });
    expect(config.policy).toMatchObject({ rules: [], offline: true, default: { read: 'allow', write: 'ask', network: 'ask', execute: 'ask' } });
    expect(config.dataDir).toBe('/data/rein');
  });

  it('accepts the seed shape written in flow style', () => {
    const config = parseConfig(
      [
        'model:   { provider: ollama, name: llama3.2, host: http://127.0.0.1:11500, temperature: 0.5, num_ctx: 4096 }',
        'runtime: { max_steps: 5, step_timeout_s: 30, tool_timeout_s: 2, max_output_chars: 500, loop_window: 6 }',
        'mcp_servers: []',
        'skills:  { registry: ./my-skills, auto_learn: false, min_confidence: 0.6 }',
        'memory:  { path: ./state/rein.db, max_working_tokens: 2000 }',
        'policy:  {}',
      ].join('\n'),
      { env: {}, baseDir: '/project' },
    );
    expect(config.model.num_ctx).toBe(4096);
    expect(config.runtime.loop_window).toBe(6);
    expect(config.skills.registry).toBe('/project/my-skills');
    expect(config.memory.path).toBe('/project/state/rein.db');
  });

  it('names the key path and the file line of every problem', () => {
    const error = configError(['model:', '  name: qwen3', '  temperature: 5', '  tempreture: 1', 'runtime:', '  max_steps: "ten"', 'polcy: {}'].join('\n'));
    expect(error.issues).toEqual([
      expect.objectContaining({ path: 'model.temperature', line: 3 }),
      expect.objectContaining({ path: 'model.tempreture', line: 4, message: expect.stringContaining('unknown key') }),
      expect.objectContaining({ path: 'runtime.max_steps', line: 6, message: 'must be a number' }),
      expect.objectContaining({ path: 'polcy', line: 7, message: expect.stringContaining('did you mean "policy"') }),
    ]);
    expect(error.message).toContain('/project/rein.yaml:3:16');
    expect(error.name).toBe('ConfigError');
  });

  it('a value that is not one of the choices lists them and the closest; limits in plain words', () => {
    const error = configError(['model: { provider: antropic }', 'policy: { default: { write: maybe } }', 'runtime: { max_steps: 0 }'].join('\n'));
    expect(error.issues.map((i) => `${i.path}: ${i.message}`).sort()).toEqual([
      'model.provider: "antropic" is not a choice: use one of ollama, openai_compatible, anthropic, embedded (did you mean anthropic?)',
      'policy.default.write: "maybe" is not a choice: use one of allow, ask, deny',
      'runtime.max_steps: must be at least 1',
    ].sort());
  });

  it('reports YAML syntax errors with their line', () => {
    const error = configError('model:\n  name: [unclosed\n');
    expect(error.issues[0]).toMatchObject({ line: expect.any(Number), message: expect.stringContaining('YAML syntax') });
  });

  it('rejects a file that is not a mapping', () => {
    expect(configError('- just\n- a list\n').issues[0]?.message).toContain('must be a YAML mapping');
  });

  it('interpolates ${env:NAME} and names a missing variable with its line', () => {
    const ok = parseConfig('mcp_servers:\n  - name: gh\n    url: https://example.test/mcp\n    headers: { Authorization: "Bearer ${env:TOKEN}" }\n', { env: { TOKEN: 's3cret' } });
    expect(ok.mcp_servers[0]).toMatchObject({ headers: { Authorization: 'Bearer s3cret' } });
    const fallback = parseConfig('model:\n  name: ${env:REIN_MODEL:-llama3.2}\n', { env: {} });
    expect(fallback.model.name).toBe('llama3.2');
    const error = configError('model:\n  host: ${env:MISSING_HOST}\n');
    expect(error.issues).toEqual([expect.objectContaining({ path: 'model.host', line: 2, message: expect.stringContaining('MISSING_HOST is not set') })]);
  });

  it('validates MCP server entries', () => {
    const error = configError('mcp_servers:\n  - name: fs\n    command: npx\n    url: http://x.test\n');
    expect(error.issues[0]).toMatchObject({ path: 'mcp_servers[0]', line: 2 });
  });

  it('OLLAMA_HOST overrides model.host, in the forms Ollama accepts', () => {
    const env = (OLLAMA_HOST: string) => ({ OLLAMA_HOST });
    expect(parseConfig('model: { host: http://10.1.1.1:1 }', { env: env('http://127.0.0.1:9999') }).model.base_url).toBe('http://127.0.0.1:9999');
    expect(parseConfig('', { env: env('0.0.0.0:11434') }).model.base_url).toBe('http://127.0.0.1:11434');
    expect(parseConfig('', { env: env('localhost') }).model.base_url).toBe('http://localhost:11434');
  });

  it('loads --config, else ./rein.yaml, else <data dir>/rein.yaml, else defaults', () => {
    const dir = tempDir();
    const env = { REIN_HOME: path.join(dir, 'home') };
    expect(loadConfig({ cwd: dir, env }).file).toBeUndefined();
    fs.mkdirSync(env.REIN_HOME);
    fs.writeFileSync(path.join(env.REIN_HOME, 'rein.yaml'), 'model: { name: from-home }\n');
    expect(loadConfig({ cwd: dir, env }).model.name).toBe('from-home');
    fs.writeFileSync(path.join(dir, 'rein.yaml'), 'model: { name: from-cwd }\n');
    expect(() => loadConfig({ cwd: dir, env })).toThrow(/is not trusted/); // see test/cli/trust.test.ts
    new TrustStore(env.REIN_HOME).trust(dir);
    expect(loadConfig({ cwd: dir, env }).model.name).toBe('from-cwd');
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'model: { name: from-flag }\n');
    const explicit = loadConfig({ cwd: dir, env, file: 'other.yaml' });
    expect(explicit.model.name).toBe('from-flag');
    expect(explicit.file).toBe(path.join(dir, 'other.yaml'));
    expect(() => loadConfig({ cwd: dir, env, file: 'missing.yaml' })).toThrow(/config file not found/);
  });

  it('a rein.yaml in the data dir keeps the default ./skills of the trusted working folder (the bundled skills stay)', () => {
    const dir = tempDir();
    const env = { REIN_HOME: path.join(dir, 'home') };
    const project = path.join(dir, 'project');
    fs.mkdirSync(path.join(project, 'skills'), { recursive: true });
    fs.mkdirSync(env.REIN_HOME);
    new TrustStore(env.REIN_HOME).trust(project);
    const before = loadConfig({ cwd: project, env }).skills;
    fs.writeFileSync(path.join(env.REIN_HOME, 'rein.yaml'), 'memory: { recall_limit: 3 }\n'); // as the desktop app saves it
    const after = loadConfig({ cwd: project, env });
    expect(after.file).toBe(path.join(env.REIN_HOME, 'rein.yaml'));
    expect(after.skills.registry).toBe(path.join(project, 'skills'));
    expect(after.skills).toEqual(before);
    expect(after.skills.registry).not.toBe(after.skills.user_dir);
    // Written in the file, a relative registry is the file's own: next to it.
    fs.writeFileSync(path.join(env.REIN_HOME, 'rein.yaml'), 'skills: { registry: ./my-skills }\n');
    expect(loadConfig({ cwd: project, env }).skills.registry).toBe(path.join(env.REIN_HOME, 'my-skills'));
    // An explicit --config elsewhere keeps resolving against its own folder (no untrusted ./skills sneaks in).
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'memory: { recall_limit: 3 }\n');
    expect(loadConfig({ cwd: project, env, file: path.join(dir, 'other.yaml') }).skills.registry).toBe(path.join(dir, 'skills'));
  });

  it('REIN_HOME sets the data dir; otherwise the OS app-data dir', () => {
    expect(parseConfig('', { env: { REIN_HOME: '/x/y' } }).dataDir).toBe('/x/y');
    const linux = parseConfig('', { env: { HOME: '/home/u' } }).dataDir;
    if (process.platform === 'linux') expect(linux).toBe('/home/u/.config/Rein');
  });
});

describe('rein.example.yaml', () => {
  it('is a valid config', () => {
    const file = path.resolve(import.meta.dirname, '../../../rein.example.yaml');
    expect(loadConfig({ file, env: {} }).model.num_ctx).toBe(8192);
  });
});
