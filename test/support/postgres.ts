// A real PostgreSQL server for tests: REIN_TEST_PG_URL (CI starts one in .ci/run), else a temporary cluster started
// here from the installed binaries (initdb + pg_ctl, loopback, a free port), else the tests skip and say why.
// Every test file gets databases of its own (createDatabase), dropped at the end.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  /** A URL of the server's maintenance database. */
  url: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

/** Why the Postgres tests cannot run here, or undefined. Checked synchronously, for describe.skipIf. */
export const postgresUnavailable: string | undefined = process.env.REIN_TEST_PG_URL ? undefined : findBinaries() ? undefined : 'no PostgreSQL: set REIN_TEST_PG_URL or install PostgreSQL (initdb, pg_ctl) to run these tests';

if (postgresUnavailable) console.warn(`skipping the PostgreSQL tests: ${postgresUnavailable}`);

function findBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs.readdirSync(root).sort((a, b) => Number(b) - Number(a));
  return versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'initdb')));
}

/** `durable`: a cluster of our own with fsync on (benchmarks), never the shared test server. */
export async function startTestPostgres(options: { durable?: boolean } = {}): Promise<TestPostgres> {
  const given = options.durable ? undefined : process.env.REIN_TEST_PG_URL;
  const server = given ? { url: given, stop: async () => undefined } : await startCluster(options.durable ?? false);
  const created: string[] = [];
  return {
    url: server.url,
    async createDatabase() {
      const name = `rein_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
      await admin(server.url, `CREATE DATABASE ${name}`);
      created.push(name);
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      return url.toString();
    },
    async stop() {
      for (const name of created.splice(0)) await admin(server.url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await server.stop();
    },
  };
}

export async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** initdb into a temp folder and start it on a free loopback port (as the postgres user when running as root). */
async function startCluster(durable: boolean): Promise<{ url: string; stop: () => Promise<void> }> {
  const bin = findBinaries();
  if (!bin) throw new Error(postgresUnavailable);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:postgres', dir]);
  const run = (tool: string, args: string[]) =>
    asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', path.join(bin, tool), ...args], { stdio: 'pipe' }) : execFileSync(path.join(bin, tool), args, { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  run('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8']);
  const port = await freePort();
  run('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${durable ? '' : ' -c fsync=off'}`, '-w', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
