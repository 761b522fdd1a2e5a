// Where approvals and grants live: <dataDir>/policy.db, or the shared PostgreSQL database when memory.episodic is
// postgres:// (a worker's run asks, the host's UI answers). And the desk without a runtime (`rein approvals`).
import { openAuditStore } from '../audit/index.ts';
import { createRedactor } from '../base/index.ts';
import type { ReinConfig, StateConfig } from '../config/index.ts';
import { ApprovalDesk } from './approval-desk.ts';
import { sqliteApprovalStore, type ApprovalStore } from './approval-store.ts';

export async function openApprovalStore(config: StateConfig): Promise<ApprovalStore> {
  const redact = createRedactor(config.secrets);
  if (!config.memory.episodic) return sqliteApprovalStore(config.dataDir, redact);
  const { PgApprovalStore } = await import('./pg-approval-store.ts');
  return PgApprovalStore.open(config.memory.episodic, redact);
}

export async function openApprovalDesk(config: ReinConfig): Promise<{ desk: ApprovalDesk; close: () => Promise<void> }> {
  const audit = await openAuditStore(config);
  let store: ApprovalStore;
  try {
    store = await openApprovalStore(config);
  } catch (error) {
    await audit.close();
    throw error;
  }
  return {
    desk: new ApprovalDesk(store, audit, config.policy.always_ttl_s),
    close: async () => {
      await store.close();
      await audit.close();
    },
  };
}
