// IPC bridge: one `rein:<method>` handler per contract method (sender checked), forwarded to the host, which
// validates the arguments; the host's events and status are pushed to the Rein window.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { API_METHOD_NAMES, type ApiEvent, type ApiMethod, type ApiResult, type Unsubscribe } from '../common/index.ts';
import { HOST_STATUS_QUERY, type HostStatus } from '../common/host-status.ts';
import { isRendererUrl, type RendererLocation } from './location.ts';

export interface IpcOptions {
  /** Sends one call to the host. */
  invoke: (method: ApiMethod, args: unknown) => Promise<ApiResult>;
  status: () => HostStatus;
  /** The Rein window's webContents, if it is open. */
  target: () => WebContents | undefined;
  location: RendererLocation;
  /** Rewrites a call's arguments before the host sees them (e.g. sealing secrets); may throw to refuse. */
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

const refused = (what: string): ApiResult => ({ ok: false, error: { code: 'bad_request', message: `${what} refused: the caller is not the Rein window` } });

export function registerIpc(options: IpcOptions): Unsubscribe {
  for (const method of API_METHOD_NAMES) {
    ipcMain.handle(`rein:${method}`, (event, args: unknown): Promise<ApiResult> | ApiResult => {
      if (!isTrustedSender(event, options)) return refused(`rein:${method}`);
      let prepared: unknown;
      try {
        prepared = options.prepare ? options.prepare(method, args) : args;
      } catch (error) {
        return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
      }
      return options.invoke(method, prepared);
    });
  }
  ipcMain.handle(HOST_STATUS_QUERY, (event) => (isTrustedSender(event, options) ? options.status() : refused(HOST_STATUS_QUERY)));
  return () => {
    for (const method of API_METHOD_NAMES) ipcMain.removeHandler(`rein:${method}`);
    ipcMain.removeHandler(HOST_STATUS_QUERY);
  };
}

/** Sends to the Rein window while it is open. */
export function sendToWindow(target: () => WebContents | undefined, channel: string, payload: ApiEvent | HostStatus): void {
  const contents = target();
  if (contents && !contents.isDestroyed()) contents.send(channel, payload);
}
