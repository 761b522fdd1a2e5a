// Opens a web page in the system browser for the Rein window (an MCP server's OAuth sign-in): http(s) only,
// and only when asked by the Rein window's top frame.
import { ipcMain, shell } from 'electron';
import { OPEN_EXTERNAL_CHANNEL, isWebUrl } from '../common/desktop-bridge.ts';
import type { Unsubscribe } from '../common/index.ts';
import { isTrustedSender, type IpcOptions } from './ipc.ts';

export function registerOpenExternal(options: Pick<IpcOptions, 'target' | 'location'>): Unsubscribe {
  ipcMain.handle(OPEN_EXTERNAL_CHANNEL, async (event, url: unknown): Promise<boolean> => {
    if (!isTrustedSender(event, options) || !isWebUrl(url)) return false;
    await shell.openExternal(url);
    return true;
  });
  return () => { ipcMain.removeHandler(OPEN_EXTERNAL_CHANNEL); };
}
