// Placeholder for the browser transport. `rein serve` (HTTP + WebSocket) does not exist yet, so every
// call fails with an explanation instead of pretending to work.
import type { RuntimeApi } from '../../common/index.ts';

export const WEB_MODE_UNAVAILABLE =
  'Web mode arrives with `rein serve`, which is not available yet. Open Rein as the desktop app (`npm start`).';

export function createWsClient(): RuntimeApi {
  const unavailable = () => Promise.reject(new Error(WEB_MODE_UNAVAILABLE));
  return {
    startRun: unavailable,
    abortRun: unavailable,
    listRuns: unavailable,
    modelStatus: unavailable,
    onEvent: () => () => {},
  };
}
