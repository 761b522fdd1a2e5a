// The Rein window, locked down: isolated sandboxed renderer, no navigation, no popups, no permissions.
import { BrowserWindow } from 'electron';
import icon from '../../resources/icon.png?asset';
import { isRendererUrl, type RendererLocation } from './location.ts';

export function createMainWindow(location: RendererLocation): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 780,
    minWidth: 640,
    minHeight: 480,
    title: 'Rein',
    icon,
    show: false,
    autoHideMenuBar: true,
    webPreferences: {
      // Reviewed: the preload exposes only the typed API transport through contextBridge (src/preload/index.ts).
      preload: location.preload, /* eng-disable PRELOAD_JS_CHECK */
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      // middle-click opens links in new windows without will-navigate; we never want that
      disableBlinkFeatures: 'Auxclick',
    },
  });

  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!isRendererUrl(url, location)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isRendererUrl(url, location)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => { event.preventDefault(); });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));

  window.once('ready-to-show', () => { window.show(); });
  // A load fails when the window is closed while it loads (e.g. quitting at start-up): nothing to do then.
  const loading = location.devUrl ? window.loadURL(location.devUrl) : window.loadFile(location.file);
  loading.catch(() => undefined);
  return window;
}
