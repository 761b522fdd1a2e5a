// Numbered plain-SQL migrations per component (memory, knowledge, policy, …) in `rein_schema`, applied at start in
// one transaction each under an advisory lock, so two hosts starting at once migrate once. Never edit a released
// migration: add the next one.
import type pg from 'pg';
import { inTransaction } from './pool.ts';

/** pg_advisory_xact_lock key of migrations ('rein' in ASCII). */
const MIGRATION_LOCK = 0x7265696e;

export class SchemaVersionError extends Error {}

export async function migrate(pool: pg.Pool, component: string, migrations: readonly string[], where: string): Promise<void> {
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
