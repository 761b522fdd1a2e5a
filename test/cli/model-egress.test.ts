// Regulated mode through the real `rein` command: a cloud model is refused when the config loads (exit 2, the reason
// and the fix), the refusal is audited, `any` accepts it, and the machine policy at its default path wins.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REIN_BIN, runRein, type CliResult } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';

function configFile(text: string): string {
  const file = path.join(tempDir(), 'rein.yaml');
  fs.writeFileSync(file, text);
  return file;
}

const CLOUD = 'model: { provider: anthropic, name: claude-sonnet-4-5, temperature: 0.2, api_key: "${env:ANTHROPIC_API_KEY}" }\n';

describe('policy.model_egress from the command line', () => {
  it('local_only (the default) refuses provider: anthropic at load: exit 2, why and how to change it, and an audit entry', async () => {
    const home = tempDir();
    const env = { REIN_HOME: home, ANTHROPIC_API_KEY: 'sk-ant-x', REIN_MACHINE_POLICY: path.join(home, 'none.yaml') };
    const result = await runRein(['run', 'hello', '--config', configFile(CLOUD)], { env });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/model\.provider: the anthropic model at https:\/\/api\.anthropic\.com is on api\.anthropic\.com, not on this machine: policy\.model_egress is local_only — use a local model, or allow this host: policy\.model_egress: allow_list with policy\.allowed_model_hosts: \[api\.anthropic\.com\] \(or model_egress: any\)/);
    expect(result.stderr).not.toContain('sk-ant-x');
    const exported = await runRein(['audit', 'export'], { env });
    const entries = exported.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; data: { issues: { path: string }[] } });
    expect(entries.find((e) => e.kind === 'model.egress.refused')?.data.issues[0]?.path).toBe('model.provider');
  });

  it('also refuses an OpenAI-compatible server on another host, and `--model anthropic:…` on a local config', async () => {
    const home = tempDir();
    const env = { REIN_HOME: home, REIN_MACHINE_POLICY: path.join(home, 'none.yaml') };
    const lan = await runRein(['run', 'hello', '--config', configFile('model: { provider: openai_compatible, base_url: "http://10.20.30.40:8000/v1" }\n')], { env });
    expect(lan.code).toBe(2);
    expect(lan.stderr).toContain('model.base_url: the openai_compatible model at http://10.20.30.40:8000/v1 is on 10.20.30.40, not on this machine');
    const named = await runRein(['run', 'hello', '--model', 'anthropic:claude-haiku-4-5', '--config', configFile('model: { provider: ollama }\n')], { env });
    expect(named.code).toBe(2);
    expect(named.stderr).toContain('anthropic:claude-haiku-4-5: the anthropic model at https://api.anthropic.com');
  });

  it('any accepts the cloud model: the run gets as far as the network (none here) and fails there, not at load', async () => {
    const home = tempDir();
    const env = { REIN_HOME: home, ANTHROPIC_API_KEY: 'sk-ant-x', REIN_MACHINE_POLICY: path.join(home, 'none.yaml') };
    const result = await runRein(['run', 'hello', '--config', configFile(`${CLOUD}policy: { model_egress: any }\n`)], { env });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('model_egress');
    expect(result.stderr).toMatch(/anthropic|Anthropic/);
  });

  it('a machine policy at its default path (/etc/rein/policy.yaml) wins over a user file that says any', async (context) => {
    const probe = spawnSync('unshare', ['-m', '--propagation', 'private', 'true']);
    if (process.platform !== 'linux' || probe.status !== 0) {
      context.skip(`needs a private mount namespace (unshare -m as root) to put a file at /etc/rein without touching the machine: ${probe.stderr?.toString().trim() || probe.error?.message}`);
    }
    const home = tempDir();
    const result = await inPrivateEtc('policy:\n  model_egress: local_only\n', ['run', 'hello', '--config', configFile(`${CLOUD}policy: { model_egress: any }\n`)], { REIN_HOME: home, ANTHROPIC_API_KEY: 'sk-ant-x' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the machine policy /etc/rein/policy.yaml sets policy.model_egress: local_only (it can only be changed there, by an administrator)');
    expect(fs.existsSync('/etc/rein/policy.yaml')).toBe(false); // nothing leaked out of the namespace
  });
});

/** Runs rein with /etc overlaid (in a private mount namespace) so /etc/rein/policy.yaml holds `policy`. */
function inPrivateEtc(policy: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const dir = tempDir();
  for (const sub of ['upper/rein', 'work']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  fs.writeFileSync(path.join(dir, 'upper/rein/policy.yaml'), policy);
  const script = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${dir}/upper,workdir=${dir}/work /etc && exec "$@"`;
  return new Promise((resolve, reject) => {
    const child = spawn('unshare', ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', process.execPath, REIN_BIN, ...args], {
      cwd: tempDir(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', REIN_KEYCHAIN: 'file', REIN_KEYCHAIN_DIR: tempDir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
