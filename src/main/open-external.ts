// Opens things outside the Rein window, only when asked by its top frame: a web page in the system browser (an MCP
// server's OAuth sign-in), and a cited knowledge document in its own app (only a document format, and only a file
// the host confirms is inside a knowledge source — never a program or script), and Rein's own data folder.
import path from 'node:path';
import { ipcMain, shell } from 'electron';
import { OPEN_DATA_DIR_CHANNEL, OPEN_EXTERNAL_CHANNEL, OPEN_PATH_CHANNEL, isWebUrl } from '../common/desktop-bridge.ts';
import type { ApiMethod, ApiResult, Unsubscribe } from '../common/index.ts';
import { isTrustedSender, type IpcOptions } from './ipc.ts';

/** Documents people read: opening one can never run code (unlike .bat, .js, .sh, .exe on some systems). */
const DOCUMENTS = new Set(['pdf', 'docx', 'pptx', 'xlsx', 'odt', 'odp', 'ods', 'rtf', 'epub', 'md', 'markdown', 'txt', 'text', 'csv', 'tsv', 'log', 'rst', 'adoc']);

export function isOpenableDocument(file: unknown): file is string {
  if (typeof file !== 'string' || file.length > 4096 || !path.isAbsolute(file) || file.includes('\0')) return false;
  return DOCUMENTS.has(path.extname(file).slice(1).toLowerCase());
}

export function registerOpenExternal(options: Pick<IpcOptions, 'target' | 'location'> & { invoke?: (method: ApiMethod, args: unknown) => Promise<ApiResult>; dataDir?: string }): Unsubscribe {
  ipcMain.handle(OPEN_EXTERNAL_CHANNEL, async (event, url: unknown): Promise<boolean> => {
    if (!isTrustedSender(event, options) || !isWebUrl(url)) return false;
    await shell.openExternal(url);
    return true;
  });
  ipcMain.handle(OPEN_PATH_CHANNEL, async (event, file: unknown): Promise<boolean> => {
    if (!isTrustedSender(event, options) || !isOpenableDocument(file) || !options.invoke) return false;
    // The host reads it only from inside a knowledge source: the same check the agent's read_document passes.
    const granted = await options.invoke('knowledge.preview', [{ file }]);
    if (!granted.ok) return false;
    return (await shell.openPath(file)) === '';
  });
  ipcMain.handle(OPEN_DATA_DIR_CHANNEL, async (event): Promise<boolean> => {
    if (!isTrustedSender(event, options) || !options.dataDir) return false;
    return (await shell.openPath(options.dataDir)) === '';
  });
  return () => {
    ipcMain.removeHandler(OPEN_EXTERNAL_CHANNEL);
    ipcMain.removeHandler(OPEN_PATH_CHANNEL);
    ipcMain.removeHandler(OPEN_DATA_DIR_CHANNEL);
  };
}
