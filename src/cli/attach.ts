// The CLI uses the running host of the data dir when there is one (so its runs, approvals and sessions are the
// host's, seen by every client), and works in-process when there is none.
import type { HostConnection } from '../host/client.ts';
import { findHost, UnsafeHostFileError } from '../host/discovery.ts';
import { errorMessageOf, type ReinConfig } from '../runtime/index.ts';
import type { CliIo } from './io.ts';

/** Connected to the host; `none` when no host runs; `failed` (already reported) when one runs but cannot be reached. */
export async function attachToHost(config: Pick<ReinConfig, 'dataDir'>, io: CliIo): Promise<HostConnection | 'none' | 'failed'> {
  let info;
  try {
    info = await findHost(config.dataDir);
  } catch (error) {
    if (!(error instanceof UnsafeHostFileError)) throw error;
    io.stderr.write(`rein: refusing to use this data dir: ${error.message}\n`);
    return 'failed';
  }
  if (!info) return 'none';
  try {
    const { connectHost } = await import('../host/client.ts'); // its WebSocket client loads only when a host runs
    return await connectHost(info);
  } catch (error) {
    io.stderr.write(`rein: ${errorMessageOf(error)}\n`);
    return 'failed';
  }
}
