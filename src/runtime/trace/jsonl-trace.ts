import fs from 'node:fs';
import path from 'node:path';
import type { RunEvent } from '../../common/index.ts';
import { privateDir, type Redactor } from '../base/index.ts';

/** Appends every event of a run to <dir>/<runId>.jsonl (secrets redacted) so a run can be inspected afterwards. */
export function writeTrace(dir: string, runId: string, redact: Redactor = (text) => text): { write: (event: RunEvent) => void; file: string } {
  const file = path.join(dir, `${runId}.jsonl`);
  let failed = false;
  let ready = false;
  return {
    file,
    write: (event) => {
      if (failed) return;
      try {
        if (!ready) privateDir(dir);
        ready = true;
        fs.appendFileSync(file, `${redact(JSON.stringify(event))}\n`, { mode: 0o600 });
      } catch {
        failed = true; // tracing is best effort: a full disk must not stop the run
      }
    },
  };
}
