// Which skills each run used and how it went, so that `rein feedback <runId> good|bad` can score them later:
// <dataDir>/skill-runs/<runId>.json, or the `skill_runs` table of the team's PostgreSQL database when
// memory.episodic is postgres:// (a run on a worker, feedback given at the host).
import fs from 'node:fs';
import path from 'node:path';
import type { StateConfig } from '../config/index.ts';

export type Verdict = 'good' | 'bad';

export interface RunRecord {
  runId: string;
  time: string;
  skills: string[];
  /** From the run's result: completed → success. */
  succeeded?: boolean;
  feedback?: Verdict;
}

export interface RunRecords {
  read(runId: string): Promise<RunRecord | undefined>;
  write(record: RunRecord): Promise<void>;
}

export function runRecords(config: Pick<StateConfig, 'dataDir'> & { memory?: StateConfig['memory'] }): RunRecords {
  const url = config.memory?.episodic;
  if (!url) return new FileRunRecords(path.join(config.dataDir, 'skill-runs'));
  const server = import('./pg-run-records.ts').then(({ PgRunRecords }) => PgRunRecords.open(url));
  server.catch(() => undefined);
  return { read: async (runId) => (await server).read(runId), write: async (record) => (await server).write(record) };
}

export class FileRunRecords implements RunRecords {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    const file = this.fileOf(runId);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord) : undefined;
  }

  async write(record: RunRecord): Promise<void> {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.fileOf(record.runId), `${JSON.stringify(record, null, 2)}\n`);
  }

  private fileOf(runId: string): string {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(runId)) throw new Error(`"${runId}" is not a run id`);
    return path.join(this.dir, `${runId}.json`);
  }
}
