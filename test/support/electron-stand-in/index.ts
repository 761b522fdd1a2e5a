// A stand-in for the `electron` module, so the REAL bundled main (out/main/index.js) runs under Node in tests:
// app lifecycle, ipcMain, session, safeStorage, tray; BrowserWindow is a Playwright Chromium page that runs the
// real sandboxed preload bundle (its `require('electron')` gets the renderer half below) and loads the real renderer.
// Only what src/main uses is here. Tests drive it through `standIn`.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

interface InvokeEvent {
  sender: WebContents;
  senderFrame: { url: string; parent: object | null };
}
type Handler = (event: InvokeEvent, ...args: unknown[]) => unknown;

const handlers = new Map<string, Handler>();
let markReady: () => void = () => undefined;
let isReady = false;
const readyPromise = new Promise<void>((resolve) => { markReady = resolve; }).then(() => { isReady = true; });
let markQuit: () => void = () => undefined;
const quitPromise = new Promise<void>((resolve) => { markQuit = resolve; });

/** The test's handle on the stand-in. */
export const standIn = {
  /** app.getPath('appData'); set before main is imported. */
  appData: '',
  /** Where windows open their pages; set before `ready()`. */
  context: undefined as BrowserContext | undefined,
  windows: [] as BrowserWindow[],
  trays: [] as Tray[],
  /** Every native notification shown. */
  notifications: [] as Notification[],
  /** Resolves app.whenReady(). */
  ready: () => { markReady(); },
  /** Resolves once the app has really quit (every before-quit handler let it). */
  quitted: quitPromise,
  /** Every URL main opened in the "system browser" (shell.openExternal). */
  opened: [] as string[],
  /** Every file main opened in its own app (shell.openPath). */
  openedPaths: [] as string[],
  /** Where main's console.error lines went (the host's output included). */
  log: [] as string[],
  /**
   * Closes the browser once every window has finished opening its page: closing it in the middle of a window's
   * exposeBinding/addInitScript makes Playwright throw an uncaught "Cannot find parent object page@…".
   */
  async closeBrowser(): Promise<void> {
    await Promise.allSettled(standIn.windows.map((window) => window.page));
    await standIn.context?.close();
  },
};

function event(): { defaultPrevented: boolean; preventDefault(): void } {
  return { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
}

class App extends EventEmitter {
  readonly isPackaged = false;
  private readonly paths = new Map<string, string>();
  private quitting = false;
  private hasQuit = false;

  setName(_name: string): void {}
  getPath(name: string): string {
    if (name === 'appData') return standIn.appData;
    const value = this.paths.get(name);
    if (!value) throw new Error(`stand-in: app.getPath('${name}') is not set`);
    return value;
  }
  setPath(name: string, value: string): void {
    this.paths.set(name, value);
  }
  requestSingleInstanceLock(): boolean {
    return true;
  }
  whenReady(): Promise<void> {
    return readyPromise;
  }
  isReady(): boolean {
    return isReady;
  }
  /** Like Electron: before-quit may be prevented; otherwise windows close and the app quits. */
  quit(): void {
    if (this.hasQuit || this.quitting) return;
    this.quitting = true;
    const beforeQuit = event();
    this.emit('before-quit', beforeQuit);
    this.quitting = false;
    if (beforeQuit.defaultPrevented) return;
    this.hasQuit = true;
    for (const window of standIn.windows) window.destroy();
    this.emit('will-quit', event());
    this.emit('quit');
    markQuit();
  }
}
export const app = new App();

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) throw new Error(`stand-in: a second handler for ${channel}`);
    handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

const noop = () => undefined;
export const session = {
  defaultSession: {
    setPermissionRequestHandler: noop,
    setPermissionCheckHandler: noop,
    webRequest: { onHeadersReceived: noop },
  },
};

/** Reversible, not secret: the tests only need the round trip. */
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (text: string) => Buffer.from(`stand-in:${text}`),
  decryptString: (sealed: Buffer) => sealed.toString().replace(/^stand-in:/, ''),
};

export const shell = {
  openExternal: (url: string) => {
    standIn.opened.push(url);
    return Promise.resolve();
  },
  openPath: (file: string) => {
    standIn.openedPaths.push(file);
    return Promise.resolve('');
  },
};

export const dialog = { showMessageBox: async () => ({ response: 0 }) };
export const nativeImage = { createFromPath: () => ({ resize: () => ({}) }) };
export interface MenuItem {
  label?: string;
  type?: string;
  click?: () => void;
}
export const Menu = { buildFromTemplate: (template: MenuItem[]) => ({ items: template }) };
export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  readonly title: string;
  readonly body: string;
  constructor(options: { title: string; body?: string }) {
    super();
    this.title = options.title;
    this.body = options.body ?? '';
  }
  show(): void {
    standIn.notifications.push(this);
  }
  /** What the user's click on it does. */
  click(): void {
    this.emit('click');
  }
}

export class Tray extends EventEmitter {
  menu: MenuItem[] = [];
  destroyed = false;
  constructor() {
    super();
    standIn.trays.push(this);
  }
  setToolTip(): void {}
  setContextMenu(menu: { items: MenuItem[] }): void {
    this.menu = menu.items;
  }
  /** The user picks a menu item by its label. */
  choose(label: string): void {
    const item = this.menu.find((entry) => entry.label === label);
    if (!item?.click) throw new Error(`stand-in: the tray menu has no "${label}" (it has ${this.menu.map((e) => e.label).join(', ')})`);
    item.click();
  }
  destroy(): void {
    this.destroyed = true;
  }
}

// Main logs through console.error; keep a copy for failure messages.
const consoleError = console.error.bind(console);
console.error = (...args: unknown[]) => {
  standIn.log.push(args.map(String).join(' '));
  if (process.env.REIN_STAND_IN_VERBOSE) consoleError(...args);
};

class WebContents extends EventEmitter {
  private readonly window: BrowserWindow;

  constructor(window: BrowserWindow) {
    super();
    this.window = window;
  }
  isDestroyed(): boolean {
    return this.window.isDestroyed();
  }
  setWindowOpenHandler(): void {}
  /** Main → renderer: delivered to the preload's ipcRenderer.on listeners. */
  send(channel: string, payload: unknown): void {
    if (this.isDestroyed()) return;
    void this.window.page
      .then((page) => page.evaluate(([c, p]) => (globalThis as unknown as { __standInIpcDispatch?: (c: string, p: unknown) => void }).__standInIpcDispatch?.(c, p), [channel, payload] as const))
      .catch(() => undefined);
  }
}

/** The renderer half of `electron` for the preload: contextBridge and ipcRenderer over Playwright bindings. */
function preloadScript(bundle: string): string {
  return `(() => {
  const listeners = new Map();
  Object.defineProperty(window, '__standInIpcDispatch', { value: (channel, payload) => { for (const h of listeners.get(channel) ?? []) h({}, payload); } });
  const electron = {
    contextBridge: { exposeInMainWorld: (name, api) => Object.defineProperty(window, name, { value: Object.freeze({ ...api }), enumerable: true }) },
    // A page cannot make a File with a path: the test names the path of each dropped file by its name.
    webUtils: { getPathForFile: (file) => (window.__standInDroppedPaths ?? {})[file.name] ?? '' },
    ipcRenderer: {
      invoke: (channel, ...args) => window.__standInIpcInvoke(channel, ...args),
      on: (channel, handler) => { if (!listeners.has(channel)) listeners.set(channel, new Set()); listeners.get(channel).add(handler); },
      removeListener: (channel, handler) => { listeners.get(channel)?.delete(handler); },
    },
  };
  const module = { exports: {} };
  const require = (name) => { if (name === 'electron') return electron; throw new Error('a sandboxed preload may only require electron, not ' + name); };
  (function (require, module, exports) {\n${bundle}\n})(require, module, module.exports);
})();`;
}

interface WindowOptions {
  webPreferences?: { preload?: string; sandbox?: boolean; contextIsolation?: boolean; nodeIntegration?: boolean };
}

export class BrowserWindow extends EventEmitter {
  readonly webContents: WebContents;
  readonly page: Promise<Page>;
  readonly options: WindowOptions;
  private destroyed = false;

  constructor(options: WindowOptions) {
    super();
    this.options = options;
    this.webContents = new WebContents(this);
    this.page = this.open();
    this.page.catch(() => undefined);
    standIn.windows.push(this);
  }

  private async open(): Promise<Page> {
    if (!standIn.context) throw new Error('stand-in: set standIn.context before the app is ready');
    const page = await standIn.context.newPage();
    await page.exposeBinding('__standInIpcInvoke', async (source, channel: string, ...args: unknown[]) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      const frame = source.frame;
      return handler({ sender: this.webContents, senderFrame: { url: frame.url(), parent: frame.parentFrame() ? {} : null } }, ...args);
    });
    const preload = this.options.webPreferences?.preload;
    if (preload) await page.addInitScript({ content: preloadScript(fs.readFileSync(preload, 'utf8')) });
    return page;
  }

  async loadFile(file: string): Promise<void> {
    await this.loadURL(pathToFileURL(path.resolve(file)).href);
  }
  async loadURL(url: string): Promise<void> {
    const page = await this.page; // rejects when the test closed the browser while the window opened (as Electron's load would)
    await page.goto(url);
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  show(): void {}
  focus(): void {}
  /** The user closes the window. */
  close(): void {
    if (this.destroyed) return;
    this.destroy();
    if (standIn.windows.every((window) => window.isDestroyed())) app.emit('window-all-closed');
  }
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    void this.page.then((page) => page.close()).catch(() => undefined);
    this.emit('closed');
  }
}

/**
 * The Chromium behind the stand-in's windows. Electron gives file:// pages (the built renderer) access to the files
 * next to them, which plain Chromium refuses for module scripts; --allow-file-access-from-files does the same.
 */
export async function launchWindowBrowser(executablePath = '/usr/bin/chromium'): Promise<BrowserContext> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-stand-in-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--allow-file-access-from-files', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 800 },
  });
}
