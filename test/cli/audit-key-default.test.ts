// The documented approval workflow — `rein run` in one terminal, `rein approvals allow` in another — with the DEFAULT
// keychain selection (nothing forced): every process finds the audit key the first one made, so `rein audit verify`
// reports every entry authenticated, and no key is left in the kernel's session keyring (/proc/keys).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { waitFor } from '../host/host-process.ts';

describe('the audit key with the default keychain selection', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(async () => {
    await ollama.close();
  });

  it('a run in one terminal and its approval answered from another verify cleanly; `rein doctor` says where the key is', async () => {
    expect(process.env.REIN_KEYCHAIN).toBeUndefined(); // the default selection, as users get it
    // `forget` is a write that asks.
    ollama.script((_request, index) => (index === 0 ? { content: '', toolCalls: [{ name: 'forget', arguments: { id: 7 } }] } : { content: 'noted' }));
    const home = tempDir('rein-audit-default-');
    const env = { REIN_HOME: home, OLLAMA_HOST: ollama.url };
    // The first terminal: `rein run` on a pseudo-terminal (script(1)), so it waits for an answer.
    const command = [process.execPath, REIN_BIN, 'run', 'forget note 7'].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
    const terminal = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'dumb', REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR, ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    terminal.stdout.on('data', (d: Buffer) => (screen += d.toString()));
    const finished = new Promise<number | null>((resolve) => terminal.on('close', resolve));
    // The second terminal.
    const id = await waitFor(async () => /(apr_\w+)/.exec((await runRein(['approvals', 'list'], { env })).stdout)?.[1], 'the pending approval');
    expect(await runRein(['approvals', 'allow', id], { env })).toMatchObject({ code: 0, stdout: `allowed once: ${id}\n` });
    expect(await finished).toBe(0);
    expect(screen).toContain('noted');

    const verify = await runRein(['audit', 'verify'], { env });
    expect(verify.stdout).toContain('✓ audit log intact');
    const entries = Number(/intact: (\d+) entries/.exec(verify.stdout)?.[1]);
    expect(entries).toBeGreaterThan(3);
    expect(verify.stdout).toContain(`authenticated with the audit key: entries 1–${entries} (key: `);
    expect(verify.code).toBe(0);
    // One key for the data dir, made once: no process had to start a new one.
    const exported = (await runRein(['audit', 'export'], { env })).stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string });
    expect(exported.filter((entry) => entry.kind === 'audit.key')).toHaveLength(0);
    if (fs.existsSync('/proc/keys')) expect(fs.readFileSync('/proc/keys', 'utf8')).not.toContain(home);

    const doctor = await runRein(['doctor'], { env });
    expect(doctor.stdout).toMatch(/secrets \(audit key, MCP sign-in tokens\): /);
    expect(doctor.stdout).toContain(`audit key: ${verify.stdout.match(/\(key: (.*)\)/)?.[1]}`);
  }, 120_000);
});
