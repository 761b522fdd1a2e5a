import type { ApiTransport } from '../../common/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is opened in a browser (`rein serve`). */
    readonly reinTransport?: ApiTransport;
  }
}

export {};
