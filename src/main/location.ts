// Where the renderer lives, and whether a URL belongs to it. Used for IPC sender checks and navigation blocking.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppPaths } from './paths.ts';

export interface RendererLocation {
  /** Built renderer entry (out/renderer/index.html). */
  file: string;
  /** The sandboxed preload bundle. */
  preload: string;
  /** Vite dev server URL; only set for unpackaged `electron-vite dev` runs. */
  devUrl: string | undefined;
}

export function rendererLocation(isPackaged: boolean, paths: Pick<AppPaths, 'renderer' | 'preload'>): RendererLocation {
  const devUrl = !isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  return { file: paths.renderer, preload: paths.preload, devUrl: devUrl || undefined };
}

/** True for our renderer document: the exact built index.html over file://, or the dev server's origin. */
export function isRendererUrl(raw: string, location: Pick<RendererLocation, 'file' | 'devUrl'>): boolean {
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
