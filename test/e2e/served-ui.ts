// A runtime served in-process by `rein serve`'s server, with the web UI open in Chromium and authenticated.
import type { BrowserContext, Page } from 'playwright-core';
import type { RuntimeApi } from '../../src/common/index.ts';
import { createRuntimeApi, type Runtime } from '../../src/runtime/index.ts';
import { DEFAULT_RENDERER_DIR, startServer, type RunningServer } from '../../src/server/index.ts';
import { openBrowser } from './browser.ts';

export interface ServedUi {
  server: RunningServer;
  context: BrowserContext;
  page: Page;
  shot: (name: string) => Promise<void>;
  close(): Promise<void>;
}

/** `api`: the API to serve (default: the runtime's own), e.g. with one section answered by a scripted stand-in. */
export async function openServedUi(runtime: Runtime, token: string, api: RuntimeApi = createRuntimeApi(runtime)): Promise<ServedUi> {
  const server = await startServer({ api, token, rendererDir: DEFAULT_RENDERER_DIR, port: 0 });
  const { context, page, shot } = await openBrowser();
  await page.goto(`${server.url}/#token=${token}`);
  return {
    server,
    context,
    page,
    shot,
    close: async () => {
      await context.close();
      await server.close();
    },
  };
}
