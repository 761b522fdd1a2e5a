// Sandboxed preload (bundled to CommonJS): exposes the API transport as `window.reinTransport` over IPC.
// Only 'electron' may be required here; the src/common code is inlined by the bundler.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, isApiMethod, type ApiEvent, type ApiResult, type ApiTransport } from '../common/index.ts';

const transport: ApiTransport = {
  invoke(method, args) {
    if (!isApiMethod(method)) return Promise.resolve<ApiResult>({ ok: false, error: { code: 'bad_request', message: `unknown API method ${String(method)}` } });
    return ipcRenderer.invoke(`rein:${method}`, args) as Promise<ApiResult>;
  },
  subscribe(listener) {
    // Never hand the IpcRendererEvent (and its `sender`) to the page.
    const handler = (_event: IpcRendererEvent, event: ApiEvent) => { listener(event); };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('reinTransport', transport);
