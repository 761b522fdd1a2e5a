// Electron main: app lifecycle only. Behaviour lives in the runtime; wiring in the files next to this one.
import path from 'node:path';
import { app, dialog, session, type BrowserWindow } from 'electron';
import { bootRuntime, type Boot } from './boot.ts';
import { installCspHeader } from './csp.ts';
import { forwardEvents, registerIpc } from './ipc.ts';
import { rendererLocation } from './location.ts';
import { sealMcpHeaders } from './seal-secrets.ts';
import { SecretStore } from './secrets.ts';
import { createMainWindow } from './window.ts';

const CLOSE_TIMEOUT_MS = 5000;

// The data dir must be <appData>/Rein, the same folder the runtime's dataDir() picks for the CLI.
app.setName('Rein');
app.setPath('userData', path.join(app.getPath('appData'), 'Rein'));
process.env.REIN_HOME ||= app.getPath('userData');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

function start(): void {
  const location = rendererLocation(app.isPackaged);
  let mainWindow: BrowserWindow | undefined;
  let boot: Boot | undefined;
  const target = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined);

  const secrets = new SecretStore(app.getPath('userData'));
  registerIpc({
    location,
    target,
    prepare: (method, args) => (method === 'mcp.add' ? sealMcpHeaders(args, secrets, process.env) : args),
    api: () => {
      if (!boot) throw new Error('Rein is still starting');
      if (!boot.ok) throw new Error(`${boot.title}\n${boot.message}`);
      return boot.api;
    },
  });

  app.on('second-instance', () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => { app.quit(); });
  app.on('before-quit', (event) => {
    if (!boot?.ok || closed) return;
    event.preventDefault();
    void closeRuntime(boot).then(() => { app.quit(); });
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => { callback(false); });
    session.defaultSession.setPermissionCheckHandler(() => false);
    if (!location.devUrl) installCspHeader(session.defaultSession);

    boot = bootRuntime(secrets);
    if (boot.ok) forwardEvents(boot.api, target);
    const created = createMainWindow(location);
    mainWindow = created;
    if (!boot.ok) {
      const { title, message } = boot;
      created.once('ready-to-show', () => void dialog.showMessageBox(created, { type: 'error', title, message: title, detail: message }));
    }
  });
}

let closed = false;
let closing: Promise<void> | undefined;

/** Aborts running runs and waits for them (bounded), once. */
function closeRuntime(boot: Extract<Boot, { ok: true }>): Promise<void> {
  closing ??= Promise.race([
    boot.runtime.close(),
    new Promise<void>((resolve) => setTimeout(resolve, CLOSE_TIMEOUT_MS).unref()),
  ])
    .catch((error: unknown) => { console.error('rein: closing the runtime failed:', error); })
    .finally(() => {
      closed = true;
    });
  return closing;
}
