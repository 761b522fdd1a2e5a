// The desktop's first run on a machine with no model server, in Chromium: the Models panel offers the zero-setup
// choice — the recommended download with its size, licence and where it goes, downloaded only after consent, with
// progress, speed and time left, and a cancel — or a model server that is already running. The download itself is
// the embedded engine's (tested in its own suites); here a scripted models section stands in for it, so the UI's
// flow is what is tested, against the real runtime for everything else. The second part is the real thing: `rein
// serve` with nothing installed, the engine's download served by a local server.
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ModelRecommendation, RuntimeApi } from '../../src/common/index.ts';
import { Runtime, createRuntimeApi } from '../../src/runtime/index.ts';
import { tempDir, testConfig } from '../support/fixtures.ts';
import { ModelFileServer, tinyCatalog } from '../support/model-file-server.ts';
import { seriousViolations } from './axe.ts';
import { e2eMissing, eventually, openBrowser } from './browser.ts';
import { startServe, type ServeProcess } from './serve-process.ts';
import { openServedUi, type ServedUi } from './served-ui.ts';

const TOKEN = '9'.repeat(64);
const GB = 1024 ** 3;
const RECOMMENDED: ModelRecommendation = {
  ref: 'qwen3-4b',
  title: 'Qwen3 4B (Q4_K_M)',
  sizeBytes: 2.5 * GB,
  licence: 'Apache-2.0',
  licenceUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
  target: '/home/me/.config/Rein/models/Qwen3-4B-Q4_K_M.gguf',
  reason: 'This computer has 16 GB of memory: a 4B model at Q4 fits well.',
  present: false,
};

/** The runtime's API with a scripted embedded download: progress every 100 ms until cancelled. */
function withScriptedDownloads(api: RuntimeApi): { api: RuntimeApi; pulled: string[] } {
  const listeners = new Set<(event: ApiEvent) => void>();
  const pulled: string[] = [];
  let cancel: (() => void) | undefined;
  const emit = (event: ApiEvent) => { for (const listener of listeners) listener(event); };
  return {
    pulled,
    api: {
      ...api,
      models: {
        ...api.models,
        recommended: () => Promise.resolve(RECOMMENDED),
        pull: (name) => new Promise<void>((resolve, reject) => {
          pulled.push(name);
          let completed = 0;
          const timer = setInterval(() => {
            completed += 40 * 1024 ** 2;
            emit({ type: 'model.pull.progress', name, status: 'downloading', completed, total: RECOMMENDED.sizeBytes, bytesPerSecond: 400 * 1024 ** 2, etaSeconds: (RECOMMENDED.sizeBytes - completed) / (400 * 1024 ** 2) });
          }, 100);
          cancel = () => {
            clearInterval(timer);
            emit({ type: 'model.pull.progress', name, status: 'cancelled', done: true, error: `pull of ${name} cancelled (a download resumes where it stopped)` });
            reject(new Error(`pull of ${name} cancelled`));
          };
        }),
        cancelPull: () => { cancel?.(); return Promise.resolve(); },
      },
      onEvent: (listener) => {
        listeners.add(listener);
        const off = api.onEvent(listener);
        return () => { listeners.delete(listener); off(); };
      },
    },
  };
}

describe.skipIf(e2eMissing)('first run without a model server (Chromium)', () => {
  let runtime: Runtime;
  let ui: ServedUi;
  let page: Page;
  let shot: (name: string) => Promise<void>;
  let pulled: string[];

  beforeAll(async () => {
    runtime = new Runtime({ config: testConfig('', 'http://127.0.0.1:9') });
    await runtime.start();
    const scripted = withScriptedDownloads(createRuntimeApi(runtime));
    pulled = scripted.pulled;
    ui = await openServedUi(runtime, TOKEN, scripted.api);
    ({ page, shot } = ui);
  }, 60_000);
  afterAll(async () => {
    await ui?.close();
    await runtime?.close();
  });

  it('offers the recommended model: size, licence and where it goes before anything is downloaded', async () => {
    const panel = page.getByRole('region', { name: 'Models' });
    const download = panel.getByRole('article', { name: 'Download a model' });
    await download.waitFor();
    expect(await download.textContent()).toContain(RECOMMENDED.reason);  // said as a sentence
    await download.getByRole('button', { name: 'Use Qwen3 4B (Q4_K_M)…' }).click(); // first click
    const facts = await download.locator('dl').textContent();
    expect(facts).toContain('2.7 GB');
    expect(facts).toContain('Apache-2.0');
    expect(facts).toContain(RECOMMENDED.target);
    expect(pulled).toEqual([]); // nothing without consent
    expect(await panel.getByRole('article', { name: 'Use a running model server' }).textContent()).toContain('ollama serve');
    for (const width of [1280, 800]) {
      await page.setViewportSize({ width, height: 860 });
      await shot(`first-run-choice-${width}`);
    }
    await page.setViewportSize({ width: 1200, height: 800 });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('downloads after consent with progress, speed and time left, and cancels', async () => {
    const panel = page.getByRole('region', { name: 'Models' });
    await panel.getByRole('button', { name: 'Agree and download' }).click(); // second click
    await eventually(() => pulled).toEqual(['qwen3-4b']);
    await eventually(() => panel.locator('.pull-progress').textContent()).toMatch(/MB of 2\.7 GB · 419\.4 MB\/s · \d+ s left/);
    expect(Number(await panel.getByLabel('Pull progress').getAttribute('value'))).toBeGreaterThan(0);
    await shot('first-run-downloading');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => panel.getByLabel('Pull status').textContent()).toContain('cancelled (a download resumes where it stopped)');
    expect(await panel.getByRole('button', { name: 'Cancel' }).count()).toBe(0);
  });
});

describe.skipIf(e2eMissing)('first run, for real: rein serve with nothing installed downloads the embedded engine\'s model (Chromium)', () => {
  let files: ModelFileServer;
  let serve: ServeProcess;
  let context: BrowserContext;
  let page: Page;
  let shot: (name: string) => Promise<void>;

  beforeAll(async () => {
    files = await ModelFileServer.start();
    const catalog = tinyCatalog(tempDir());
    for (const served of catalog.paths) files.serve(served, catalog.content);
    // No Ollama or LM Studio answers; the catalog's models are tiny and served here.
    serve = await startServe(undefined, { env: { REIN_AUTO_PROBE: 'ollama=http://127.0.0.1:1,lmstudio=http://127.0.0.1:1/v1', REIN_MODEL_DOWNLOAD_BASE: files.url, REIN_MODEL_CATALOG: catalog.file } });
    ({ context, page, shot } = await openBrowser());
    await page.goto(serve.url);
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await serve?.stop();
    await files?.close();
  });

  it('two clicks: the recommendation, then consent; progress with speed and time left, cancel, resume; then Send works', async () => {
    const panel = page.getByRole('region', { name: 'Models' });
    const card = panel.getByRole('article', { name: 'Download a model' });
    await eventually(() => card.count()).toBe(1);
    expect(files.requests).toEqual([]);
    await card.getByRole('button', { name: /^Use Tiny test model \(qwen3-[48]b\)…$/ }).click();
    const facts = await card.locator('dl').textContent();
    expect(facts).toContain('1.8 MB');
    expect(facts).toContain('MIT');
    expect(facts).toContain(path.join(serve.home, 'models'));
    files.bytesPerSecond = 150_000; // slow enough to watch and cancel
    await card.getByRole('button', { name: 'Agree and download' }).click();
    await eventually(() => panel.locator('.pull-progress').textContent()).toMatch(/of 1\.8 MB · [\d.]+ KB\/s · \d+ s left/);
    await shot('first-run-real-downloading');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await eventually(() => panel.getByLabel('Pull status').textContent()).toMatch(/cancel/);
    files.bytesPerSecond = 0;
    await card.getByRole('button', { name: 'Agree and download' }).click();
    await eventually(() => panel.getByLabel('Pull status').textContent()).toMatch(/success|done|ready|verified/i);
    expect(files.requests.some((r) => r.range)).toBe(true); // resumed where it stopped
    await eventually(() => page.getByLabel('Model status').textContent()).toContain('ready');
    await page.getByRole('navigation', { name: 'Panels' }).getByRole('button', { name: 'Chat' }).click();
    await page.getByLabel('Message').fill('hello');
    expect(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(false);
    await page.getByLabel('Message').press('Enter');
    await page.getByRole('button', { name: 'Stop' }).waitFor(); // the run is under way on the embedded engine
    await page.getByRole('button', { name: 'Stop' }).click();
    await eventually(() => page.getByLabel('Run status').textContent()).toMatch(/stopped|completed/);
  }, 180_000);
});
