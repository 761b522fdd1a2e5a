import type { HostStatusBridge } from '../../common/host-status.ts';
import type { ApiTransport } from '../../common/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is opened in a browser (`rein serve`). */
    readonly reinTransport?: ApiTransport;
    /** Set by the Electron preload: the runtime host's connection status. */
    readonly reinHost?: HostStatusBridge;
  }
}

export {};
