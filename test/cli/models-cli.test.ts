// A fresh machine with no Ollama and no LM Studio: the README's start command (`rein run "…"`) reaches a working
// chat through the embedded engine after the model download — through the real `rein` command, with the download
// served by a local server (REIN_MODEL_DOWNLOAD_BASE) and the local ports to probe closed (REIN_AUTO_PROBE).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { ModelFileServer, tinyCatalog } from '../support/model-file-server.ts';
import { tempDir } from '../support/fixtures.ts';

describe('first run with nothing installed', () => {
  let server: ModelFileServer;
  let env: NodeJS.ProcessEnv;
  let catalog: ReturnType<typeof tinyCatalog>;
  beforeAll(async () => {
    server = await ModelFileServer.start();
    catalog = tinyCatalog(tempDir());
    for (const served of catalog.paths) server.serve(served, catalog.content);
    env = { REIN_AUTO_PROBE: 'ollama=http://127.0.0.1:1,lmstudio=http://127.0.0.1:1/v1', REIN_MODEL_DOWNLOAD_BASE: server.url, REIN_MODEL_CATALOG: catalog.file };
  });
  afterAll(() => server.close());

  it('rein run says what to do and downloads nothing; rein models pull gets the recommended model; rein run then answers', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const user = { ...env, REIN_HOME: home };
    const before = server.requests.length;

    const refused = await runRein(['run', 'hello'], { env: user });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('no local model found: nothing answered at Ollama at http://127.0.0.1:1, LM Studio at http://127.0.0.1:1/v1');
    expect(refused.stderr).toMatch(/Start Ollama or LM Studio .*download it with `rein models pull qwen3-[48]b` \(1\.8 MB, licence MIT\)/);
    expect(server.requests.length).toBe(before); // no consent, no download
    expect(fs.existsSync(path.join(home, 'models'))).toBe(false);

    const pull = await runRein(['models', 'pull'], { env: user });
    expect(pull.code).toBe(0);
    const target = pull.stderr.match(/into (\S+tiny-[48]b\.gguf)/)?.[1];
    expect(pull.stderr).toMatch(/^Downloading Tiny test model \(qwen3-[48]b\): 1\.8 MB, licence MIT/);
    expect(pull.stderr).toContain('success');
    expect(fs.statSync(target!).size).toBe(catalog.content.length);

    const list = await runRein(['models', 'list'], { env: user });
    expect(list.stdout).toMatch(/^model · embedded \(built-in engine, GGUF files in \S+\) \(default, found automatically\)\n {2}qwen3-[48]b {2}1\.8 MB\n/);
    expect(list.stdout).not.toContain('recommended for this machine'); // it is downloaded

    // The test model has random weights: sampled freely it may wander through tools until a harness guard stops it.
    // Greedy sampling (no provider is configured, still) makes its path the same on every run.
    fs.writeFileSync(path.join(home, 'rein.yaml'), 'model:\n  temperature: 0\n');
    const chat = await runRein(['run', 'hello'], { env: user });
    expect(chat.stderr).toContain('ℹ model: no model provider configured: using the embedded engine (nothing answered at Ollama at http://127.0.0.1:1');
    expect(chat.stderr).toMatch(/rein · embedded qwen3-[48]b · \d+ tools/);
    expect(chat.stderr).toMatch(/✓ completed · \d+ steps?, \d+ prompt \+ \d+ completion tokens/);
    expect(chat.code).toBe(0);
  });

  it('on a terminal, rein run asks once, shows size, licence and place, and downloads only on yes', { timeout: 120_000 }, async () => {
    const home = tempDir();
    const no = await onTerminal(['run', 'hello'], 'n\n', { ...env, REIN_HOME: home });
    expect(no.output).toMatch(/Download Tiny test model \(qwen3-[48]b\) for Rein's built-in engine\? 1\.8 MB, licence MIT/);
    expect(no.output).toContain(`into ${path.join(home, 'models')}`);
    expect(no.output).toMatch(/Nothing downloaded\. Start Ollama or LM Studio, or download later with `rein models pull qwen3-[48]b`/);
    expect(no.code).toBe(1);
    expect(fs.existsSync(path.join(home, 'models'))).toBe(false);

    // Yes: the download, then the run starts on it (the random-weight model may call tools that ask for approval,
    // so the run is interrupted once it is under way).
    const yes = await onTerminal(['run', 'hello'], 'y\n', { ...env, REIN_HOME: home }, /rein · embedded qwen3-[48]b/);
    expect(yes.output).toMatch(/qwen3-[48]b: \d+% \(.* of 1\.8 MB/);
    expect(yes.output).toMatch(/✓ qwen3-[48]b: success/);
    expect(yes.output).toMatch(/rein · embedded qwen3-[48]b · \d+ tools/);
    expect(fs.readdirSync(path.join(home, 'models'))).toEqual([expect.stringMatching(/^tiny-[48]b\.gguf$/)]);
  });

  it('rein models use writes the choice into rein.yaml, keeping comments', async () => {
    const home = tempDir();
    fs.writeFileSync(path.join(home, 'rein.yaml'), '# my settings\nmodel:\n  temperature: 0.1 # careful\n');
    const result = await runRein(['models', 'use', 'qwen3-4b'], { env: { ...env, REIN_HOME: home } });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${path.join(home, 'rein.yaml')}: model.provider embedded, model.name qwen3-4b\n`);
    expect(fs.readFileSync(path.join(home, 'rein.yaml'), 'utf8')).toBe('# my settings\nmodel:\n  temperature: 0.1 # careful\n  provider: embedded\n  name: qwen3-4b\n');
    const removed = await runRein(['models', 'remove', 'qwen3-4b'], { env: { ...env, REIN_HOME: home } });
    expect(removed.code).toBe(1);
    expect(removed.stderr).toMatch(/rein models remove: qwen3-4b is not downloaded in /);
  });
});

/** The command under a pseudo-terminal (util-linux `script`), as a person would run it; `input` is typed. */
function onTerminal(args: string[], input: string, env: NodeJS.ProcessEnv, stopAt?: RegExp): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, REIN_BIN, ...args].map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: tempDir(), env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1', TERM: 'dumb', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output: output.replace(/\r/g, '') }));
    // Typed once the question is on the screen; Ctrl-C twice once `stopAt` shows.
    let typed = false;
    const timer = setInterval(() => {
      if (!typed && output.includes('[y] download')) {
        typed = true;
        child.stdin.write(input);
      } else if (typed && stopAt?.test(output)) {
        clearInterval(timer);
        child.stdin.write('\x03');
        setTimeout(() => child.stdin.write('\x03'), 200);
      }
    }, 50);
    child.on('close', () => clearInterval(timer));
  });
}
