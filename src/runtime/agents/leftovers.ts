// At start-up (container backend): containers whose parent Rein is gone — killed with SIGKILL, crashed, the machine
// lost power — are removed, and the user is told. Runs in the background; a missing engine is reported at spawn.
import { errorMessage } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { ContainerEngineError, findEngine, reapOrphans } from '../containers/index.ts';
import type { ExtensionHost } from '../extension.ts';

export async function reapLeftovers(config: ReinConfig, host: Pick<ExtensionHost, 'notify'>): Promise<void> {
  try {
    const engine = await findEngine(config.agents.container.engine);
    const { removed, failed } = await reapOrphans(engine);
    if (removed.length) {
      const parents = [...new Set(removed.map((orphan) => orphan.parentPid))].join(', ');
      host.notify({
        type: 'system.notice',
        level: 'warn',
        source: 'agents',
        message: `removed ${removed.length} subagent container${removed.length === 1 ? '' : 's'} left behind by a Rein that did not end cleanly (pid ${parents}): ${removed.map((o) => o.name).join(', ')}`,
      });
    }
    if (failed.length) host.notify({ type: 'system.notice', level: 'error', source: 'agents', message: `could not remove leftover subagent containers: ${failed.join('; ')}` });
  } catch (error) {
    if (error instanceof ContainerEngineError) return; // no engine: spawn_subagent says so when it is used
    host.notify({ type: 'system.notice', level: 'error', source: 'agents', message: `looking for leftover subagent containers failed: ${errorMessage(error)}` });
  }
}
