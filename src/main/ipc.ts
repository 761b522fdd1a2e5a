// IPC bridge: one `rein:<method>` handler per RUNTIME_API_METHODS name, and the event forwarder.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { EVENT_CHANNEL, RUNTIME_API_METHODS, type RuntimeApi, type RuntimeApiMethod, type Unsubscribe } from '../common/index.ts';
import { isRendererUrl, type RendererLocation } from './location.ts';

export interface IpcOptions {
  /** The runtime API, or throws why there is none (e.g. the config error). */
  api: () => RuntimeApi;
  /** The Rein window's webContents, if it is open. */
  target: () => WebContents | undefined;
  location: RendererLocation;
}

/** One call per method, with the arguments checked: the renderer is untrusted input. */
const CALLS: { [M in RuntimeApiMethod]: (api: RuntimeApi, args: unknown[]) => Promise<unknown> } = {
  startRun: (api, [request]) => {
    const goal = typeof request === 'object' && request !== null ? (request as { goal?: unknown }).goal : undefined;
    if (typeof goal !== 'string') throw new TypeError('startRun expects { goal: string }');
    return api.startRun({ goal });
  },
  abortRun: (api, [runId]) => {
    if (typeof runId !== 'string') throw new TypeError('abortRun expects a run id string');
    return api.abortRun(runId);
  },
  listRuns: (api) => api.listRuns(),
  modelStatus: (api) => api.modelStatus(),
};

/**
 * A call is served only when it comes from the top-level frame of the Rein window and that
 * frame is showing our renderer (the built index.html, or the dev server in `electron-vite dev`).
 */
export function isTrustedSender(event: IpcMainInvokeEvent, options: Pick<IpcOptions, 'target' | 'location'>): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  if (event.sender !== options.target()) return false;
  return isRendererUrl(frame.url, options.location);
}

export function registerIpc(options: IpcOptions): Unsubscribe {
  for (const method of RUNTIME_API_METHODS) {
    ipcMain.handle(`rein:${method}`, (event, ...args: unknown[]) => {
      if (!isTrustedSender(event, options)) throw new Error(`rein:${method} refused: the caller is not the Rein window`);
      return CALLS[method](options.api(), args);
    });
  }
  return () => {
    for (const method of RUNTIME_API_METHODS) ipcMain.removeHandler(`rein:${method}`);
  };
}

/** Sends every run event to the Rein window while it is open. */
export function forwardEvents(api: RuntimeApi, target: () => WebContents | undefined): Unsubscribe {
  return api.onEvent((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
}
