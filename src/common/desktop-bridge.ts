// What the desktop preload exposes as `window.reinDesktop` besides the API: opening a web page in the user's
// browser (an OAuth sign-in) and the path of a file dropped into the window (Electron ≥ 32 has no File.path).

/** Renderer → main: open an http(s) URL in the system browser. */
export const OPEN_EXTERNAL_CHANNEL = 'rein:open-external';

/** Renderer → main: open a cited document in its own app (only files inside a knowledge source). */
export const OPEN_PATH_CHANNEL = 'rein:open-path';

/** Renderer → main: show Rein's data folder in the file manager. */
export const OPEN_DATA_DIR_CHANNEL = 'rein:open-data-dir';

/** `F`: the DOM's File (src/common knows no DOM). */
export interface DesktopBridge<F = unknown> {
  /** Opens a knowledge document in the app the system uses for it; false when refused (not in a knowledge source). */
  openPath(file: string): Promise<boolean>;
  /** Shows Rein's data folder in the system's file manager. */
  openDataFolder(): Promise<boolean>;
  /** Opens an http(s) URL in the system browser; false when refused (another scheme, not the Rein window). */
  openExternal(url: string): Promise<boolean>;
  /** The absolute path of a File the user dropped (empty when it has none, e.g. dragged from a web page). */
  pathForFile(file: F): string;
}

/** Only web pages leave the app: no file:, javascript:, custom schemes. */
export function isWebUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 8192) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
