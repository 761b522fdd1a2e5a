// A local HTTP server that serves model files like Hugging Face's `resolve` URLs: GET with Range support (206), a
// 404 for unknown paths, and faults on demand (cut the connection after N bytes, ignore Range). It records every
// request so tests can see what was asked for.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export const TINY_GGUF = path.resolve(import.meta.dirname, 'models/llama-2-tiny-random.gguf');

export interface ServedRequest {
  path: string;
  range?: string;
}

export class ModelFileServer {
  readonly requests: ServedRequest[] = [];
  private readonly files = new Map<string, Buffer>();
  /** The next response is cut after this many bytes of body (then reset). */
  cutAfter: number | undefined;
  /** Answer every request with the whole file (200), as a server without Range support. */
  ignoreRange = false;
  /** Bytes per second (0: as fast as possible). */
  bytesPerSecond = 0;
  private readonly server: http.Server;
  private constructor(server: http.Server) {
    this.server = server;
  }

  static async start(): Promise<ModelFileServer> {
    const server = http.createServer();
    const files = new ModelFileServer(server);
    server.on('request', (req, res) => files.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return files;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves `content` at `urlPath` (e.g. /Qwen/Qwen3-4B-GGUF/resolve/main/Qwen3-4B-Q4_K_M.gguf). */
  serve(urlPath: string, content: Buffer): void {
    this.files.set(urlPath, content);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    this.requests.push({ path: urlPath, ...(req.headers.range ? { range: req.headers.range } : {}) });
    const file = this.files.get(urlPath);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    let start = 0;
    if (range && !this.ignoreRange) {
      start = Number(range[1]);
      if (start >= file.length) {
        res.writeHead(416, { 'content-range': `bytes */${file.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': file.length - start, 'content-range': `bytes ${start}-${file.length - 1}/${file.length}`, 'accept-ranges': 'bytes' });
    } else {
      res.writeHead(200, { 'content-length': file.length, 'accept-ranges': 'bytes' });
    }
    const body = file.subarray(start);
    const cut = this.cutAfter;
    this.cutAfter = undefined;
    if (cut !== undefined) {
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    if (!this.bytesPerSecond) {
      res.end(body);
      return;
    }
    const chunk = Math.max(1, Math.floor(this.bytesPerSecond / 10));
    let offset = 0;
    const timer = setInterval(() => {
      const piece = body.subarray(offset, offset + chunk);
      offset += piece.length;
      if (offset >= body.length) {
        clearInterval(timer);
        res.end(piece);
      } else res.write(piece);
    }, 100);
    res.on('close', () => clearInterval(timer));
  }
}

export function sha256(content: Buffer): string {
  return crypto.createHash('sha256').update(content).digest('hex');
}

/** A catalog (REIN_MODEL_CATALOG) whose recommended models are the tiny GGUF, served by `server`. */
export function tinyCatalog(dir: string): { file: string; content: Buffer; paths: string[] } {
  const content = fs.readFileSync(TINY_GGUF);
  const entry = (name: string, repo: string, file: string) => ({
    name,
    title: `Tiny test model (${name})`,
    uri: `hf:test/${repo}/${file}`,
    file,
    sizeBytes: content.length,
    sha256: sha256(content),
    licence: 'MIT',
    licenceUrl: 'https://example.invalid/licence',
    kind: 'chat',
  });
  const entries = [entry('qwen3-4b', 'Tiny-4B-GGUF', 'tiny-4b.gguf'), entry('qwen3-8b', 'Tiny-8B-GGUF', 'tiny-8b.gguf')];
  const file = path.join(dir, 'catalog.json');
  fs.writeFileSync(file, JSON.stringify(entries));
  return { file, content, paths: entries.map((e) => `/test/${e.uri.split('/')[1]}/resolve/main/${e.file}`) };
}
