// IPC bridge: one `rein:<method>` handler per contract method (sender checked, arguments validated by callApi),
// and the event forwarder.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHOD_NAMES, EVENT_CHANNEL, type ApiMethod, type ApiResult, type RuntimeApi, type Unsubscribe } from '../common/index.ts';
import { callApi } from '../runtime/index.ts';
import { isRendererUrl, type RendererLocation } from './location.ts';

export interface IpcOptions {
  /** The runtime API, or throws why there is none (e.g. the config error). */
  api: () => RuntimeApi;
  /** The Rein window's webContents, if it is open. */
  target: () => WebContents | undefined;
  location: RendererLocation;
  /** Rewrites a call's arguments before the runtime sees them (e.g. sealing secrets); may throw to refuse. */
  prepare?: (method: ApiMethod, args: unknown) => unknown;
}

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
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(`rein:${method}`, (event, args: unknown): Promise<ApiResult> | ApiResult => {
      if (!isTrustedSender(event, options)) return { ok: false, error: { code: 'bad_request', message: `rein:${method} refused: the caller is not the Rein window` } };
      let api: RuntimeApi;
      let prepared: unknown;
      try {
        api = options.api();
        prepared = options.prepare ? options.prepare(method, args) : args;
      } catch (error) {
        return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
      }
      return callApi(api, method, prepared);
    });
  }
  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(`rein:${method}`);
  };
}

/** Sends every pushed event to the Rein window while it is open. */
export function forwardEvents(api: RuntimeApi, target: () => WebContents | undefined): Unsubscribe {
  return api.onEvent((event) => {
    const contents = target();
    if (contents && !contents.isDestroyed()) contents.send(EVENT_CHANNEL, event);
  });
}
