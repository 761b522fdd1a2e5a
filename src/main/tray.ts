// With background work (active schedules, or desktop.json `background`) the app lives on in the tray after its
// window closes, and the host keeps running.
import { Menu, Tray, nativeImage } from 'electron';
import icon from '../../resources/icon.png?asset';

export interface TrayActions {
  open(): void;
  /** Quits the shell and leaves a detached background host running (only offered when there is one). */
  quit?: () => void;
  /** Quits the shell and stops the host. */
  quitAndStop(): void;
}

export function createTray(actions: TrayActions): Tray {
  const tray = new Tray(nativeImage.createFromPath(icon).resize({ width: 16, height: 16 }));
  tray.setToolTip('Rein (background work keeps running)');
  tray.setContextMenu(Menu.buildFromTemplate([
    { label: 'Open Rein', click: actions.open },
    { type: 'separator' },
    ...(actions.quit ? [{ label: 'Quit (background work keeps running)', click: actions.quit }] : []),
    { label: 'Quit and stop background work', click: actions.quitAndStop },
  ]));
  tray.on('click', actions.open);
  return tray;
}
