// One pg connection pool per database URL in a process, shared by the stores that use it (memory, knowledge,
// approvals, audit, …) and closed when the last of them lets go.
import pg from 'pg';
import { openKeychain, type Keychain } from '../keychain/index.ts';
import { databaseIdentity, redactUrl, urlPassword } from '../config/index.ts';

/** Keychain service of database passwords (`rein db password <url>`). */
export const DB_KEYCHAIN_SERVICE = 'rein.postgres';

export interface PoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  keychain?: Keychain;
}

export interface SharedPool {
  readonly pool: pg.Pool;
  /** The URL without its password. */
  readonly where: string;
  release(): Promise<void>;
}

const pools = new Map<string, { pool: pg.Pool; users: number }>();

/** The process's pool for `url` (opened on first use). Call `release()` when done. */
export function sharedPool(url: string, options: PoolOptions = {}): SharedPool {
  let entry = pools.get(url);
  if (!entry) {
    entry = { pool: createPool(url, options), users: 0 };
    pools.set(url, entry);
  }
  entry.users++;
  const current = entry;
  let released = false;
  return {
    pool: current.pool,
    where: redactUrl(url),
    async release() {
      if (released) return;
      released = true;
      if (--current.users > 0) return;
      if (pools.get(url) === current) pools.delete(url);
      await current.pool.end();
    },
  };
}

export function createPool(url: string, options: PoolOptions = {}): pg.Pool {
  const password = urlPassword(url) ?? process.env.PGPASSWORD ?? keychainPassword(url, options.keychain);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'rein',
    allowExitOnIdle: true, // an idle pool never keeps a command from exiting
    ...(password !== undefined ? { password } : {}),
  });
  // An idle client that loses its server is dropped by the pool; without a listener the error would crash the process.
  pool.on('error', () => undefined);
  return pool;
}

function keychainPassword(url: string, keychain?: Keychain): string | undefined {
  try {
    return (keychain ?? openKeychain()).get(DB_KEYCHAIN_SERVICE, databaseIdentity(url))?.value;
  } catch {
    return undefined;
  }
}

/** Runs `work` in one transaction on one client (BEGIN … COMMIT, ROLLBACK on error). */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export type Queryable = pg.Pool | pg.PoolClient;
