// `rein worker`: run queued runs from the team's PostgreSQL database (`--database`, else memory.episodic); also
// `rein worker queue "<goal>"` (queue a run), `rein worker jobs` (the queue) and `rein worker password <url>`
// (the database password into the OS keychain, read from stdin). A worker opens no port.
import { errorMessageOf, openKeychain, ReinError, type ReinConfig } from '../../runtime/index.ts';
import { databaseIdentity, DB_KEYCHAIN_SERVICE, isPostgresUrl, redactUrl, urlPassword } from '../../runtime/team.ts';
import { JobQueue } from '../../worker/jobs.ts';
import { runWorker } from '../../worker/worker.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';

const USAGE = 'rein worker [--database postgres://…] [--max-concurrent N] | worker queue "<goal>" [--model M] | worker jobs [--json] | worker password <postgres-url>';

export const worker: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [action, arg] = args;
    const usage = (why: string) => (io.stderr.write(`rein worker: ${why}. Usage: ${USAGE}\n`), ExitCode.usage);
    if (action === 'password') return arg && isPostgresUrl(arg) ? storePassword(arg, io) : usage('which postgres:// URL?');
    let settings: ReinConfig;
    try {
      settings = withDatabase(config(), typeof options.database === 'string' ? options.database : undefined);
    } catch (error) {
      io.stderr.write(`rein worker: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    }
    const database = settings.memory.episodic!;
    if (typeof options.database === 'string' && urlPassword(options.database)) {
      io.stderr.write('rein worker: warning: a password on the command line is visible to other users (ps); use PGPASSWORD, ~/.pgpass or `rein worker password <url>`\n');
    }
    if (action === 'queue') {
      if (!arg) return usage('which goal?');
      return withQueue(database, io, async (queue) => {
        const job = await queue.enqueue(arg, typeof options.model === 'string' ? { model: options.model } : {});
        io.stdout.write(`${job.id}\n`);
        return ExitCode.ok;
      });
    }
    if (action === 'jobs') {
      return withQueue(database, io, async (queue) => {
        const jobs = await queue.list(Number(options.limit ?? 50));
        if (options.json) for (const job of jobs) io.stdout.write(`${JSON.stringify(job)}\n`);
        else if (!jobs.length) io.stdout.write('no jobs\n');
        else for (const job of jobs) io.stdout.write(`${job.id}  ${job.status}${job.result ? ` (${job.result})` : ''}  attempts ${job.attempts}  ${job.worker ?? '-'}  ${job.goal.split('\n')[0]!.slice(0, 60)}\n`);
        return ExitCode.ok;
      });
    }
    if (action !== undefined) return usage(`unknown action "${action}"`);
    const maxConcurrent = Number(options['max-concurrent'] ?? 2);
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > 64) return usage('--max-concurrent takes a whole number from 1 to 64');
    const stop = new AbortController();
    const onSignal = () => {
      io.stderr.write('rein worker: stopping (runs in progress go back to the queue)\n');
      stop.abort();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      const { finished } = await runWorker({ config: settings, maxConcurrent, signal: stop.signal, log: (line) => io.stderr.write(`${line}\n`) });
      io.stderr.write(`rein worker: stopped after ${finished} runs\n`);
      return ExitCode.ok;
    } catch (error) {
      io.stderr.write(`rein worker: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  },
};

/** The config with its episodic store on the team's database. */
function withDatabase(config: ReinConfig, database: string | undefined): ReinConfig {
  const url = database ?? config.memory.episodic;
  if (!url) throw new ReinError('no team database: pass --database postgres://user@host/db or set memory.episodic in rein.yaml');
  if (!isPostgresUrl(url)) throw new ReinError(`--database must be a postgres:// URL, not "${redactUrl(url)}"`);
  return { ...config, memory: { ...config.memory, episodic: url }, secrets: [...config.secrets, ...(urlPassword(url) ? [url] : [])] };
}

async function withQueue(database: string, io: CliIo, work: (queue: JobQueue) => Promise<number>): Promise<number> {
  let queue: JobQueue;
  try {
    queue = await JobQueue.open(database);
  } catch (error) {
    io.stderr.write(`rein worker: cannot open the job queue on ${redactUrl(database)}: ${errorMessageOf(error)}\n`);
    return ExitCode.failed;
  }
  try {
    return await work(queue);
  } finally {
    await queue.close();
  }
}

/** `rein worker password <url>`: the password piped on stdin goes to the OS keychain, for every Rein on this machine. */
async function storePassword(url: string, io: CliIo): Promise<number> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const password = text.replace(/\r?\n$/, '');
  if (!password) {
    io.stderr.write('rein worker password: pipe the password on stdin (e.g. `read -s PW; printf %s "$PW" | rein worker password postgres://rein@db/rein`)\n');
    return ExitCode.usage;
  }
  const where = openKeychain().set(DB_KEYCHAIN_SERVICE, databaseIdentity(url), password);
  io.stdout.write(`stored the password of ${databaseIdentity(url)} in ${where.kind === 'keychain' ? 'the OS keychain' : where.file}\n`);
  return ExitCode.ok;
}
