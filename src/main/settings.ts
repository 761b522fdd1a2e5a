// Settings of the desktop shell itself, in <userData>/desktop.json. `background: true` keeps the host (and
// scheduled work) running when the window closes: the app stays in the tray.
import fs from 'node:fs';
import path from 'node:path';

export interface DesktopSettings {
  background: boolean;
}

export function readDesktopSettings(userData: string, env: NodeJS.ProcessEnv = process.env): DesktopSettings {
  let background = env.REIN_BACKGROUND === '1';
  const file = path.join(userData, 'desktop.json');
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { background?: unknown };
    if (typeof parsed.background === 'boolean') background = parsed.background;
    else if (parsed.background !== undefined) console.error(`rein: ${file}: "background" must be true or false`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.error(`rein: ignoring ${file}: ${(error as Error).message}`);
  }
  return { background };
}
