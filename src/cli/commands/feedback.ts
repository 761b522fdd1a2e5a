// `rein feedback <run id> good|bad`: scores the skills a finished run used.
import { SkillLibrary, SkillNotFoundError, errorMessageOf } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const feedback: CommandRunner = {
  run: async ({ args, io, config }) => {
    const [runId, verdict] = args;
    if (!runId || (verdict !== 'good' && verdict !== 'bad')) {
      io.stderr.write('Usage: rein feedback <run id> good|bad (the run id is in `rein run --json` output and in <data dir>/traces)\n');
      return ExitCode.usage;
    }
    try {
      const scored = await new SkillLibrary(config()).feedback(runId, verdict);
      io.stdout.write(`recorded ${verdict} for ${scored.join(', ')}\n`);
      return ExitCode.ok;
    } catch (error) {
      if (!(error instanceof SkillNotFoundError)) throw error;
      io.stderr.write(`rein feedback: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    }
  },
};
