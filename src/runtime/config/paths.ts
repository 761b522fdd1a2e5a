import os from 'node:os';
import path from 'node:path';

export const APP_NAME = 'Rein';

/**
 * The data directory: REIN_HOME, else the OS app-data dir (the same folder Electron's
 * app.getPath('userData') gives the desktop app).
 */
export function dataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.REIN_HOME) return path.resolve(env.REIN_HOME);
  const home = env.HOME ?? os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_NAME);
}
