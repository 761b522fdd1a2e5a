// The two backends every store contract runs against: SQLite files in a temp dir, and fresh databases on a real
// PostgreSQL server (REIN_TEST_PG_URL, else a temporary cluster; skipped with a message when there is none).
import { afterAll, beforeAll } from 'vitest';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../../support/postgres.ts';
import { tempDir } from '../../support/fixtures.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Why it cannot run here. */
  skip?: string;
  /** A fresh, empty place: a data dir for SQLite, a database URL for PostgreSQL. */
  fresh(): Promise<{ dataDir: string; url?: string }>;
}

/** Registers the server's start/stop hooks in the calling test file. */
export function backends(): Backend[] {
  let server: TestPostgres | undefined;
  if (!postgresUnavailable) {
    beforeAll(async () => {
      server = await startTestPostgres();
    }, 60_000);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);
  }
  return [
    { name: 'sqlite', fresh: async () => ({ dataDir: tempDir() }) },
    {
      name: 'postgres',
      ...(postgresUnavailable ? { skip: postgresUnavailable } : {}),
      fresh: async () => ({ dataDir: tempDir(), url: await server!.createDatabase() }),
    },
  ];
}
