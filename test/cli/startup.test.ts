// A quick start: help and usage errors load no runtime, and the bundled CLI (out/cli, `npm run build`) is what
// bin/rein.mjs runs when it is there and fresh. The modules a process loads are recorded by a preload script.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRein, type CliResult } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const RECORDER = path.join(ROOT, 'test/support/record-modules.mjs');
const rootUrl = pathToFileURL(ROOT).href;

/** Runs rein and returns what it printed and the files of this checkout its process loaded (relative paths). */
async function reinLoading(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult & { loaded: string[] }> {
  const record = tempDir('rein-modules-');
  const result = await runRein(args, { env: { REIN_HOME: tempDir(), NODE_OPTIONS: `--import=${pathToFileURL(RECORDER).href}`, REIN_RECORD_MODULES: record, ...env } });
  const urls = fs.readdirSync(record).flatMap((file) => fs.readFileSync(path.join(record, file), 'utf8').split('\n'));
  const loaded = [...new Set(urls.filter((url) => url.startsWith(`${rootUrl}/`)).map((url) => url.slice(rootUrl.length + 1)))];
  return { ...result, loaded };
}

describe('start-up from the sources', () => {
  const fromSource = { REIN_FROM_SOURCE: '1' };

  it('help, the version and usage errors load no runtime module and no package', async () => {
    const cases: [string[], number][] = [
      [['--help'], 0],
      [['--version'], 0],
      [['run', '--help'], 0],
      [['fly'], 2],
      [['run', '--bogus'], 2],
    ];
    for (const [args, code] of cases) {
      const result = await reinLoading(args, fromSource);
      expect(result.code, args.join(' ')).toBe(code);
      expect(result.loaded, args.join(' ')).toContain('src/cli/main.ts');
      expect(result.loaded.filter((file) => file.startsWith('src/runtime/') || file.startsWith('node_modules/')), args.join(' ')).toEqual([]);
    }
  });

  it('loads the OpenTelemetry packages only when telemetry is on', async () => {
    const ollama = await ScriptedOllama.start({ replies: () => ({ content: 'done' }) });
    const otel = (loaded: string[]) => loaded.filter((file) => file.startsWith('node_modules/@opentelemetry/'));
    try {
      const off = await reinLoading(['run', 'say done'], { ...fromSource, OLLAMA_HOST: ollama.url });
      expect(off.code, off.stderr).toBe(0);
      expect(off.loaded).toContain('src/runtime/telemetry/index.ts');
      expect(otel(off.loaded)).toEqual([]);
      expect(off.loaded).not.toContain('src/runtime/telemetry/session.ts');
      const home = tempDir();
      fs.writeFileSync(path.join(home, 'rein.yaml'), 'telemetry: { enabled: true, otlp: { endpoint: "http://127.0.0.1:1", timeout_s: 0.2 } }\n');
      const on = await reinLoading(['run', 'say done'], { ...fromSource, OLLAMA_HOST: ollama.url, REIN_HOME: home });
      expect(on.code, on.stderr).toBe(0);
      expect(otel(on.loaded)).toEqual(expect.arrayContaining([expect.stringMatching(/^node_modules\/@opentelemetry\/sdk-trace\//), expect.stringMatching(/^node_modules\/@opentelemetry\/exporter-trace-otlp-proto\//)]));
      expect(otel(on.loaded).some((file) => file.includes('exporter-trace-otlp-http/'))).toBe(false); // only the protocol in use
    } finally {
      await ollama.close();
    }
  }, 60_000);

  it('a command that runs loads the runtime (the recording sees it)', async () => {
    const result = await reinLoading(['trust', '--list'], fromSource);
    expect(result.code).toBe(0);
    expect(result.loaded).toContain('src/runtime/index.ts');
    expect(result.loaded).not.toContain('out/cli/main.js');
  });
});

describe('the bundled CLI (out/cli)', () => {
  let ollama: ScriptedOllama;

  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
    // CI builds before testing (.ci/run); here, build it when it is missing or older than the sources.
    const probe = await reinLoading(['--version']);
    if (!probe.loaded.includes('out/cli/main.js')) execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-cli.mjs')], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
  }, 180_000);
  afterAll(() => ollama?.close());

  it('runs `rein --version` from the bundle, loading no source file', async () => {
    const result = await reinLoading(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    expect(result.loaded).toContain('out/cli/main.js');
    expect(result.loaded.filter((file) => file.startsWith('src/'))).toEqual([]);
  });

  it('runs `rein run` from the bundle: the model is asked, run_js computes in the bundled sandbox worker', async () => {
    ollama.script((request) => {
      const tool = request.messages.find((m) => m.role === 'tool');
      return tool ? { content: `The answer is ${tool.content}.` } : { toolCalls: [{ name: 'run_js', arguments: { code: 'return 6 * 7' } }] };
    });
    const result = await reinLoading(['run', 'what is 6 times 7?'], { OLLAMA_HOST: ollama.url });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('42');
    expect(result.loaded).toContain('out/cli/main.js');
    expect(result.loaded.filter((file) => file.startsWith('src/'))).toEqual([]);
  });

  it('REIN_FROM_SOURCE=1 runs the TypeScript sources instead', async () => {
    const result = await reinLoading(['--version'], { REIN_FROM_SOURCE: '1' });
    expect(result.code).toBe(0);
    expect(result.loaded).toContain('src/cli/main.ts');
    expect(result.loaded).not.toContain('out/cli/main.js');
  });
});
