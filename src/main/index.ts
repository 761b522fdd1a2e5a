// Electron main: a shell. It never loads the runtime or a native module: it starts (or attaches to) the runtime
// host on the pinned Node, relays the API contract between the window and the host, restarts a dead host, and
// stops it on quit. See docs/architecture-processes.md.
import path from 'node:path';
import { app, session, type BrowserWindow, type Tray } from 'electron';
import { EVENT_CHANNEL, type ApiMethod, type ApiResult, type ScheduleView } from '../common/index.ts';
import { HOST_STATUS_CHANNEL } from '../common/host-status.ts';
import { installCspHeader } from './csp.ts';
import { HostConnection } from './host-connection.ts';
import { HostSupervisor } from './host-supervisor.ts';
import { registerIpc, sendToWindow } from './ipc.ts';
import { registerOpenExternal } from './open-external.ts';
import { rendererLocation } from './location.ts';
import { appPaths } from './paths.ts';
import { sealMcpHeaders } from './seal-secrets.ts';
import { SecretStore } from './secrets.ts';
import { readDesktopSettings } from './settings.ts';
import { createTray } from './tray.ts';
import { notifySchedules } from './notifications.ts';
import { createMainWindow } from './window.ts';

// The data dir must be <appData>/Rein, the same folder the runtime's dataDir() picks for the CLI.
app.setName('Rein');
app.setPath('userData', path.join(app.getPath('appData'), 'Rein'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start();
}

/** The host's environment: ours without Electron's variables, plus the decrypted secrets. */
function hostEnvironment(secrets: SecretStore): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('ELECTRON_')));
  const undecryptable = secrets.exportTo(env);
  if (undecryptable.length) console.error(`rein: could not decrypt the secrets ${undecryptable.join(', ')}`);
  return env;
}

/** Whether the host runs schedules that are neither paused nor disabled (false when it cannot say). */
async function hasActiveSchedules(connection: HostConnection): Promise<boolean> {
  if (!connection.connected) return false;
  const result = await connection.invoke('schedules.list', []);
  return result.ok && Array.isArray(result.value) && (result.value as ScheduleView[]).some((schedule) => schedule.enabled && !schedule.paused);
}

function start(): void {
  const dataDir = process.env.REIN_HOME || app.getPath('userData');
  const paths = appPaths({ isPackaged: app.isPackaged, appRoot: path.resolve(import.meta.dirname, '../..'), resourcesPath: process.resourcesPath ?? '' });
  const location = rendererLocation(app.isPackaged, paths);
  const settings = readDesktopSettings(app.getPath('userData'));
  const secrets = new SecretStore(app.getPath('userData'));
  let mainWindow: BrowserWindow | undefined;
  let tray: Tray | undefined;
  const target = () => (mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents : undefined);

  // Secrets sealed while the app runs are added here, so the next host (restarted below) sees them.
  const sealed: NodeJS.ProcessEnv = {};
  let newSecrets = false;
  const connection = new HostConnection();
  const supervisor = new HostSupervisor({
    dataDir,
    paths,
    env: () => ({ ...hostEnvironment(secrets), ...sealed }),
    background: settings.background,
    connection,
    onStatus: (status) => { sendToWindow(target, HOST_STATUS_CHANNEL, status); },
    log: (line) => { if (line) console.error(line); },
  });
  connection.onEvent((event) => { sendToWindow(target, EVENT_CHANNEL, event); });

  registerIpc({
    location,
    target,
    status: () => supervisor.status,
    prepare: (method, args) => {
      if (method !== 'mcp.add') return args;
      const before = Object.keys(sealed).length;
      const prepared = sealMcpHeaders(args, secrets, sealed);
      newSecrets ||= Object.keys(sealed).length > before;
      return prepared;
    },
    invoke: async (method: ApiMethod, args: unknown): Promise<ApiResult> => {
      const result = await connection.invoke(method, args);
      if (method === 'mcp.add' && newSecrets) {
        newSecrets = false;
        // The host reads secrets from its environment, which is set at spawn: restart it to hand the new one over.
        if (!supervisor.restart()) console.error('rein: a new secret was stored; restart the Rein host (this app did not start it) so it can use it');
      }
      return result;
    },
  });

  registerOpenExternal({ location, target, dataDir, invoke: (method, args) => connection.invoke(method, args) });

  const openWindow = () => {
    if (!app.isReady()) return; // a second instance before we are ready: the window opens on ready anyway
    if (mainWindow && !mainWindow.isDestroyed()) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.show();
      mainWindow.focus();
      return;
    }
    mainWindow = createMainWindow(location);
  };

  notifySchedules((listener) => connection.onEvent(listener), openWindow);

  app.on('second-instance', openWindow);
  app.on('activate', openWindow);

  let quitting: Promise<void> | undefined;
  let stopHostOnQuit: boolean | undefined;
  let done = false;
  const quit = (stopHost?: boolean) => {
    stopHostOnQuit = stopHost;
    app.quit();
  };
  // Background work (desktop.json `background`, or schedules the host runs) keeps the app in the tray.
  const toTray = () => {
    tray ??= createTray({ open: openWindow, quit: settings.background ? () => { quit(false); } : undefined, quitAndStop: () => { quit(true); } });
  };
  app.on('window-all-closed', () => {
    if (settings.background) return toTray();
    void hasActiveSchedules(connection).then((active) => (active ? toTray() : app.quit()));
  });
  app.on('before-quit', (event) => {
    if (done) return;
    event.preventDefault();
    quitting ??= supervisor.stop(stopHostOnQuit).catch((error: unknown) => { console.error('rein: stopping the host failed:', error); }).finally(() => {
      done = true;
      tray?.destroy();
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => { callback(false); });
    session.defaultSession.setPermissionCheckHandler(() => false);
    if (!location.devUrl) installCspHeader(session.defaultSession);
    if (settings.background) toTray();
    void supervisor.start();
    openWindow();
  });
}
