// Where the embedded engine's models live (<data dir>/models) and how a `model.name` finds its GGUF file: a path,
// an `hf:<org>/<repo>/<file>.gguf` URI, an https URL, or a name from the catalog (`qwen3-4b`, also `qwen3:4b`).
import fs from 'node:fs';
import path from 'node:path';
import { catalogEntries, catalogModel, recommendedModel, type CatalogModel } from './catalog.ts';

/** Tests point downloads at a local server; everyone else gets Hugging Face. */
export const DOWNLOAD_BASE_ENV = 'REIN_MODEL_DOWNLOAD_BASE';
const HF_BASE = 'https://huggingface.co';
const HF_URI = /^hf:([^/\s]+)\/([^/\s]+)\/(.+\.gguf)$/i;

/** What a reference names: a file to use, and where it comes from when it is not there yet. */
export interface ResolvedModel {
  /** The name shown (the catalog name, the file name, or the path as written). */
  name: string;
  path: string;
  present: boolean;
  /** How to get it (absent for a plain path: Rein cannot download that). */
  download?: { url: string; sha256?: string; sizeBytes?: number; licence?: string; licenceUrl?: string; title: string };
  catalog?: CatalogModel;
}

export interface StoredModel {
  name: string;
  file: string;
  path: string;
  sizeBytes: number;
  catalog?: CatalogModel;
}

/** Where downloads of the embedded engine's models go out to (its model host and that host's file CDNs). */
export function modelDownloadHosts(env: NodeJS.ProcessEnv = process.env): string[] {
  const base = env[DOWNLOAD_BASE_ENV];
  if (base) return [new URL(base).host];
  return ['huggingface.co:443', '*.huggingface.co:443', '*.hf.co:443'];
}

export class ModelStore {
  readonly dir: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(dir: string, env: NodeJS.ProcessEnv = process.env) {
    this.dir = dir;
    this.env = env;
  }

  /** Completed downloads (a `.part` file is not a model yet). */
  list(): StoredModel[] {
    let files: fs.Dirent[];
    try {
      files = fs.readdirSync(this.dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return files
      .filter((entry) => entry.isFile() && entry.name.toLowerCase().endsWith('.gguf'))
      .map((entry) => {
        const file = path.join(this.dir, entry.name);
        const catalog = catalogEntries(this.env).find((m) => m.file === entry.name);
        return { name: catalog?.name ?? entry.name, file: entry.name, path: file, sizeBytes: fs.statSync(file).size, ...(catalog ? { catalog } : {}) };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** `ref` as `model.name` or `rein models pull` wrote it; empty: the default (see defaultModel). */
  resolve(ref: string): ResolvedModel | undefined {
    const name = ref.trim();
    if (!name) return this.defaultModel();
    const catalog = catalogModel(name, this.env) ?? catalogModel(name.replace(':', '-'), this.env);
    if (catalog) return this.fromCatalog(catalog);
    const hf = HF_URI.exec(name);
    if (hf) {
      const [, org, repo, file] = hf as unknown as [string, string, string, string];
      return this.inStore(path.basename(file), { url: this.hfUrl(org, repo, file), title: `${org}/${repo}/${file}` });
    }
    if (/^https?:\/\//i.test(name)) {
      const file = safeFileName(decodeURIComponent(new URL(name).pathname.split('/').pop() ?? ''));
      return file ? this.inStore(file, { url: name, title: name }) : undefined;
    }
    if (name.toLowerCase().endsWith('.gguf') && (path.isAbsolute(name) || name.includes('/') || name.includes(path.sep))) {
      const file = path.resolve(name);
      return { name, path: file, present: fs.existsSync(file) };
    }
    const stored = this.list().find((m) => m.file === name || m.file === `${name}.gguf`);
    return stored ? { name: stored.name, path: stored.path, present: true } : undefined;
  }

  /** The recommended model when downloaded, else the only (or newest) model downloaded, else the recommended one (absent). */
  defaultModel(totalMemoryBytes?: number): ResolvedModel {
    const recommended = this.fromCatalog(recommendedModel(totalMemoryBytes, this.env).model);
    if (recommended.present) return recommended;
    const chat = this.list().filter((m) => m.catalog?.kind !== 'embedding');
    const newest = chat.sort((a, b) => fs.statSync(b.path).mtimeMs - fs.statSync(a.path).mtimeMs)[0];
    return newest ? { name: newest.name, path: newest.path, present: true, ...(newest.catalog ? { catalog: newest.catalog } : {}) } : recommended;
  }

  /** Deletes a downloaded model (and a partial download of it). Returns the file removed, or undefined. */
  remove(ref: string): string | undefined {
    const resolved = this.resolve(ref);
    if (!resolved || path.dirname(resolved.path) !== this.dir) return undefined;
    fs.rmSync(`${resolved.path}.part`, { force: true });
    if (!fs.existsSync(resolved.path)) return undefined;
    fs.rmSync(resolved.path);
    return resolved.path;
  }

  private fromCatalog(model: CatalogModel): ResolvedModel {
    const [org, repo, file] = model.uri.slice(3).split('/') as [string, string, string];
    const resolved = this.inStore(model.file, {
      url: this.hfUrl(org, repo, file),
      sha256: model.sha256,
      sizeBytes: model.sizeBytes,
      licence: model.licence,
      licenceUrl: model.licenceUrl,
      title: model.title,
    });
    return { ...resolved, name: model.name, catalog: model };
  }

  private inStore(file: string, download: NonNullable<ResolvedModel['download']>): ResolvedModel {
    const target = path.join(this.dir, file);
    return { name: file, path: target, present: fs.existsSync(target), download };
  }

  private hfUrl(org: string, repo: string, file: string): string {
    const base = (this.env[DOWNLOAD_BASE_ENV] || HF_BASE).replace(/\/+$/, '');
    return `${base}/${org}/${repo}/resolve/main/${file.split('/').map(encodeURIComponent).join('/')}`;
  }
}

/** A downloaded file's name: no folders, no dot files. */
function safeFileName(name: string): string | undefined {
  const base = path.basename(name).replace(/[^\w.+-]/g, '_');
  return base && !base.startsWith('.') ? (base.toLowerCase().endsWith('.gguf') ? base : `${base}.gguf`) : undefined;
}
