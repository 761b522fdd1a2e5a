// Debian Chromium for the e2e tests: why it cannot run (then the tests skip, or fail in CI), and a fresh profile.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { tempDir } from '../support/fixtures.ts';

const CHROMIUM = '/usr/bin/chromium';
const RENDERER = path.resolve(import.meta.dirname, '../../out/renderer/index.html');
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-results/e2e');

function whyNot(): string | undefined {
  if (!fs.existsSync(CHROMIUM)) return `${CHROMIUM} is missing (apt-get install chromium)`;
  if (!fs.existsSync(RENDERER)) return 'the renderer is not built (npm run build)';
  return undefined;
}

/** Set when the browser tests cannot run here; in CI that is an error, not a skip. */
export const e2eMissing = whyNot();
if (e2eMissing && process.env.CI) throw new Error(`e2e tests cannot run in CI: ${e2eMissing}`);
if (e2eMissing) console.warn(`skipping the browser e2e tests: ${e2eMissing}`);

export async function openBrowser(): Promise<{ context: BrowserContext; page: Page; shot: (name: string) => Promise<void> }> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(tempDir('rein-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  const shot = async (name: string) => {
    await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  };
  return { context, page, shot };
}

/** expect.poll with room for a loaded machine (its default gives up after one second). */
export const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000, interval: 100 });
