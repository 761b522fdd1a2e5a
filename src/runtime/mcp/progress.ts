// Progress notifications of one MCP call become `tool.progress` events, which are stored with the run. A server
// may send any number of them: only the first MAX_PROGRESS_PER_CALL are kept, then one note that the rest were
// dropped.
import type { ToolProgress } from '../tools/index.ts';

export const MAX_PROGRESS_PER_CALL = 100;

export function cappedProgress(report: (update: ToolProgress) => void, max = MAX_PROGRESS_PER_CALL): (update: ToolProgress) => void {
  let seen = 0;
  return (update) => {
    seen++;
    if (seen <= max) report(update);
    else if (seen === max + 1) report({ ...update, message: `further progress updates of this call are not recorded (at most ${max} per call)` });
  };
}
