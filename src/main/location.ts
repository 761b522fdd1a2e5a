// Where the renderer lives, and whether a URL belongs to it. Used for IPC sender checks and navigation blocking.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RendererLocation {
  /** Built renderer entry (out/renderer/index.html). */
  file: string;
  /** Vite dev server URL; only set for unpackaged `electron-vite dev` runs. */
  devUrl: string | undefined;
}

export function rendererLocation(isPackaged: boolean): RendererLocation {
  const devUrl = !isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  return { file: path.join(import.meta.dirname, '../renderer/index.html'), devUrl: devUrl || undefined };
}

export const preloadFile = (): string => path.join(import.meta.dirname, '../preload/index.cjs');

/** True for our renderer document: the exact built index.html over file://, or the dev server's origin. */
export function isRendererUrl(raw: string, location: RendererLocation): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol === 'file:') {
    try {
      return path.resolve(fileURLToPath(url)) === path.resolve(location.file);
    } catch {
      return false;
    }
  }
  if (location.devUrl && (url.protocol === 'http:' || url.protocol === 'https:')) {
    return url.origin === new URL(location.devUrl).origin;
  }
  return false;
}
