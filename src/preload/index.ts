// Sandboxed preload (bundled to CommonJS): exposes the RuntimeApi as `window.rein` over IPC.
// Only 'electron' may be required here; the src/common constants are inlined by the bundler.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, RUNTIME_API_METHODS, type RunEvent, type RuntimeApi, type RuntimeApiMethod } from '../common/index.ts';

type Invokers = Pick<RuntimeApi, RuntimeApiMethod>;

const invokers = Object.fromEntries(
  RUNTIME_API_METHODS.map((method) => [method, (...args: unknown[]) => ipcRenderer.invoke(`rein:${method}`, ...args)]),
) as unknown as Invokers;

const api: RuntimeApi = {
  ...invokers,
  onEvent(listener) {
    // Never hand the IpcRendererEvent (and its `sender`) to the page.
    const handler = (_event: IpcRendererEvent, event: RunEvent) => { listener(event); };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('rein', api);
