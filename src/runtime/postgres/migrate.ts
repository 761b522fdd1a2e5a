// Numbered plain-SQL migrations per component (memory, knowledge, policy, …) in `rein_schema`, applied at start in
// one transaction each under an advisory lock, so two hosts starting at once migrate once. Never edit a released
// migration: add the next one.
import type pg from 'pg';
import { ReinError } from '../base/index.ts';
import { inTransaction } from './pool.ts';

/** pg_advisory_xact_lock key of migrations ('rein' in ASCII). */
const MIGRATION_LOCK = 0x7265696e;

export class SchemaVersionError extends Error {}

/** The database cannot be reached or refuses this Rein: one message, whichever store met it first. */
export class DatabaseUnreachableError extends ReinError {}

export async function migrate(pool: pg.Pool, component: string, migrations: readonly string[], where: string): Promise<void> {
  try {
    await applyMigrations(pool, component, migrations, where);
  } catch (error) {
    const why = unreachable(error);
    if (!why) throw error;
    throw new DatabaseUnreachableError(`the database ${where} cannot be used: ${why} — check its URL (memory.episodic, or rein worker --database: host, port, database, password) and that PostgreSQL runs and lets this machine in`, { cause: error });
  }
}

/** Why a connection failed, in words; undefined for any other error (a bad migration, a schema too new). */
export function unreachable(error: unknown): string | undefined {
  const { code, hostname, address, port, message } = (error ?? {}) as { code?: string; hostname?: string; address?: string; port?: number; message?: string };
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `no host named ${hostname ?? 'so'} is known`;
    case 'ECONNREFUSED':
      return `nothing accepts connections at ${address ?? '?'}:${port ?? '?'}`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `no answer from ${address ?? hostname ?? 'the host'} (${code})`;
    case '28P01':
    case '28000':
      return `the server refused the login (${message ?? code})`;
    case '3D000':
      return message ?? 'the database does not exist';
    default:
      return /timeout exceeded when trying to connect|Connection terminated/i.test(message ?? '') ? `no answer (${message})` : undefined;
  }
}

async function applyMigrations(pool: pg.Pool, component: string, migrations: readonly string[], where: string): Promise<void> {
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS rein_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM rein_schema WHERE component = $1', [component]);
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) {
      throw new SchemaVersionError(`${where} has ${component} schema version ${version}, newer than this Rein understands (${migrations.length}); update Rein`);
    }
    for (let next = version + 1; next <= migrations.length; next++) await client.query(migrations[next - 1]!);
    if (version < migrations.length) {
      await client.query(
        'INSERT INTO rein_schema (component, version) VALUES ($1, $2) ON CONFLICT (component) DO UPDATE SET version = excluded.version',
        [component, migrations.length],
      );
    }
  });
}
