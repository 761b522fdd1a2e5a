// Sandboxed preload (bundled to CommonJS): exposes the API transport as `window.reinTransport`, the host's
// connection status as `window.reinHost`, both over IPC, and `window.reinDesktop` (open a web page in the
// system browser, the path of a dropped file). Main holds the connection to the host and its token;
// the page never sees either. Only 'electron' may be required here; src/common code is inlined by the bundler.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, isApiMethod, type ApiEvent, type ApiResult, type ApiTransport } from '../common/index.ts';
import { OPEN_DATA_DIR_CHANNEL, OPEN_EXTERNAL_CHANNEL, OPEN_PATH_CHANNEL, isWebUrl, type DesktopBridge } from '../common/desktop-bridge.ts';
import { HOST_STATUS_CHANNEL, HOST_STATUS_QUERY, type HostStatus, type HostStatusBridge } from '../common/host-status.ts';

/** Never hands the IpcRendererEvent (and its `sender`) to the page. */
function listen<T>(channel: string, listener: (payload: T) => void): () => void {
  const handler = (_event: IpcRendererEvent, payload: T) => { listener(payload); };
  ipcRenderer.on(channel, handler);
  return () => {
    ipcRenderer.removeListener(channel, handler);
  };
}

const transport: ApiTransport = {
  invoke(method, args) {
    if (!isApiMethod(method)) return Promise.resolve<ApiResult>({ ok: false, error: { code: 'bad_request', message: `unknown API method ${String(method)}` } });
    return ipcRenderer.invoke(`rein:${method}`, args) as Promise<ApiResult>;
  },
  subscribe: (listener) => listen<ApiEvent>(EVENT_CHANNEL, listener),
};

const host: HostStatusBridge = {
  current: () => ipcRenderer.invoke(HOST_STATUS_QUERY) as Promise<HostStatus>,
  subscribe: (listener) => listen<HostStatus>(HOST_STATUS_CHANNEL, listener),
};

const desktop: DesktopBridge<File> = {
  openExternal: (url) => (isWebUrl(url) ? (ipcRenderer.invoke(OPEN_EXTERNAL_CHANNEL, url) as Promise<boolean>) : Promise.resolve(false)),
  pathForFile: (file) => webUtils.getPathForFile(file),
  openDataFolder: () => ipcRenderer.invoke(OPEN_DATA_DIR_CHANNEL) as Promise<boolean>,
  openPath: (file) => (typeof file === 'string' && file.length < 4096 ? (ipcRenderer.invoke(OPEN_PATH_CHANNEL, file) as Promise<boolean>) : Promise.resolve(false)),
};

contextBridge.exposeInMainWorld('reinTransport', transport);
contextBridge.exposeInMainWorld('reinDesktop', desktop);
contextBridge.exposeInMainWorld('reinHost', host);
