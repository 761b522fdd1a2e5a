import type { RuntimeApi } from '../../common/index.ts';

declare global {
  interface Window {
    /** Set by the Electron preload; absent when the UI is opened in a plain browser. */
    readonly rein?: RuntimeApi;
  }
}

export {};
