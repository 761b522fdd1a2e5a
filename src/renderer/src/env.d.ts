import type { DesktopBridge } from '../../common/desktop-bridge.ts';
import type { HostStatusBridge } from '../../common/host-status.ts';
import type { ApiTransport } from '../../common/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is opened in a browser (`rein serve`). */
    readonly reinTransport?: ApiTransport;
    /** Set by the Electron preload: the runtime host's connection status. */
    readonly reinHost?: HostStatusBridge;
    /** Set by the Electron preload: open a web page in the system browser, the path of a dropped file. */
    readonly reinDesktop?: DesktopBridge<File>;
  }
}

export {};
