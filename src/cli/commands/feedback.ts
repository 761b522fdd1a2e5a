// `rein feedback <run id> good|bad ["reason"]`: records the verdict on a finished run (any run; Insights shows it) and
// scores the skills it used, if any.
import fs from 'node:fs';
import path from 'node:path';
import { SkillLibrary, recordFeedback } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const feedback: CommandRunner = {
  run: async ({ args, io, config }) => {
    const [runId, verdict, ...reason] = args;
    if (!runId || (verdict !== 'good' && verdict !== 'bad')) {
      io.stderr.write('Usage: rein feedback <run id> good|bad ["reason"] (every run prints its id as it starts; `rein sessions` lists them)\n');
      return ExitCode.usage;
    }
    const loaded = config();
    if (!/^[\w-]{1,100}$/.test(runId) || !knownRun(loaded.dataDir, runId)) {
      io.stderr.write(`rein feedback: no run ${runId} in ${loaded.dataDir} (\`rein sessions\` lists the runs)\n`);
      return ExitCode.failed;
    }
    const { skills } = await recordFeedback(loaded.dataDir, new SkillLibrary(loaded), runId, verdict, reason.join(' '));
    io.stdout.write(`recorded ${verdict} for run ${runId}${skills.length ? ` and its skill${skills.length === 1 ? '' : 's'} ${skills.join(', ')}` : ''}\n`);
    return ExitCode.ok;
  },
};

/** A run this data dir recorded: its trace, or the skills it used. */
function knownRun(dataDir: string, runId: string): boolean {
  return fs.existsSync(path.join(dataDir, 'traces', `${runId}.jsonl`)) || fs.existsSync(path.join(dataDir, 'skill-runs', `${runId}.json`));
}
