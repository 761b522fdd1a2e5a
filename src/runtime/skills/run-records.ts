// Which skills each run used and how it went, in <dataDir>/skill-runs/<runId>.json, so that
// `rein feedback <runId> good|bad` can score them later.
import fs from 'node:fs';
import path from 'node:path';

export type Verdict = 'good' | 'bad';

export interface RunRecord {
  runId: string;
  time: string;
  skills: string[];
  /** From the run's result: completed → success. */
  succeeded?: boolean;
  feedback?: Verdict;
}

export class RunRecords {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  read(runId: string): RunRecord | undefined {
    const file = this.fileOf(runId);
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as RunRecord) : undefined;
  }

  write(record: RunRecord): void {
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(this.fileOf(record.runId), `${JSON.stringify(record, null, 2)}\n`);
  }

  private fileOf(runId: string): string {
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(runId)) throw new Error(`"${runId}" is not a run id`);
    return path.join(this.dir, `${runId}.json`);
  }
}
