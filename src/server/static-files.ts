// Serves the built renderer (out/renderer) in web mode, with a strict CSP; nothing outside that folder.
import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy } from '../common/index.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP = contentSecurityPolicy("'self'");

export function serveStatic(root: string, urlPath: string, res: http.ServerResponse): void {
  let relative: string;
  try {
    relative = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  } catch {
    return send(res, 400, 'bad path');
  }
  if (relative.includes('\0')) return send(res, 400, 'bad path'); // fs throws synchronously on a NUL byte
  const file = path.resolve(root, `.${relative}`);
  if (!file.startsWith(path.resolve(root) + path.sep)) return send(res, 404, 'not found');
  fs.readFile(file, (error, data) => {
    if (error) {
      if (relative === '/index.html') return send(res, 503, `The web UI is not built: run \`npm run build\` (looked in ${root}).`);
      return send(res, 404, 'not found');
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    res.end(data);
  });
}

export function send(res: http.ServerResponse, status: number, body: unknown): void {
  const json = typeof body !== 'string';
  res.writeHead(status, { 'Content-Type': json ? 'application/json' : 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(json ? JSON.stringify(body) : body);
}

/** Where `electron-vite build` puts the renderer: out/renderer, seen from src/server/ or from the bundle in out/cli/. */
export const DEFAULT_RENDERER_DIR = path.resolve(import.meta.dirname, import.meta.filename.endsWith('.ts') ? '../../out/renderer' : '../renderer');
