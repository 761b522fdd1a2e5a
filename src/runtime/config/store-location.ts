// Where memory lives (memory.episodic / memory.semantic): `sqlite:<path>` (a local file), `postgres://user@host/db`
// (a server) or, for semantic memory's vectors only, `qdrant://host:port/collection`. A password written into
// rein.yaml in clear is refused: it comes from `${env:…}`, the keychain, PGPASSWORD or ~/.pgpass. No packages here:
// the config loads before any store.
import path from 'node:path';

export type StoreLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string };

export class DatabaseUrlError extends Error {}

export const isPostgresUrl = (text: string) => /^postgres(ql)?:\/\//i.test(text.trim());
export const isQdrantUrl = (text: string) => /^qdrant:\/\//i.test(text.trim());

/** `sqlite:<path>` (relative to baseDir), a bare path, or `postgres://` / `postgresql://`. */
export function parseStoreLocation(raw: string, baseDir: string): StoreLocation {
  const text = raw.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      throw new DatabaseUrlError(`"${redactUrl(text)}" is not a valid postgres:// URL (postgres://user@host:5432/database)`);
    }
    if (!url.hostname && !url.searchParams.get('host')) throw new DatabaseUrlError(`${redactUrl(text)} names no host (postgres://user@host:5432/database)`);
    return { kind: 'postgres', url: text };
  }
  if (/^qdrant:\/\//i.test(text)) throw new DatabaseUrlError('qdrant:// holds vectors only: use it for memory.semantic, not here');
  const file = text.replace(/^sqlite:(\/\/)?/i, '');
  if (!file) throw new DatabaseUrlError('sqlite: needs a file path (sqlite:./rein.db)');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw new DatabaseUrlError(`unknown database scheme in "${redactUrl(text)}": use sqlite:<path> or postgres://…`);
  return { kind: 'sqlite', path: path.resolve(baseDir, file) };
}

/** The URL without its password, for messages and logs. */
export function redactUrl(raw: string): string {
  return raw.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}

/** The password written in the URL itself, if any. */
export function urlPassword(raw: string): string | undefined {
  try {
    const url = new URL(raw);
    return url.password ? decodeURIComponent(url.password) : undefined;
  } catch {
    return undefined;
  }
}

/** The server and database a URL names, without credentials: the keychain account of its password. */
export function databaseIdentity(raw: string): string {
  const url = new URL(raw);
  const user = decodeURIComponent(url.username || process.env.PGUSER || '');
  return `postgres://${user ? `${user}@` : ''}${url.hostname || url.searchParams.get('host') || 'localhost'}:${url.port || '5432'}${url.pathname || '/'}`;
}

/**
 * A password in a postgres:// URL must not be written in rein.yaml in clear: the value must come from `${env:…}`
 * (then it is one of the config's secrets). Returns the problem, or undefined.
 */
export function literalPasswordProblem(raw: string, secrets: readonly string[]): string | undefined {
  const password = urlPassword(raw);
  if (!password) return undefined;
  const fromEnv = secrets.some((secret) => secret.includes(password) || secret.includes(encodeURIComponent(password)));
  if (fromEnv) return undefined;
  return 'the URL has a password written in clear: put the whole URL or the password in an environment variable (postgres://rein:${env:REIN_PG_PASSWORD}@db/rein), or leave it out and store it with `rein worker password <url>` (keychain) or in PGPASSWORD / ~/.pgpass';
}
