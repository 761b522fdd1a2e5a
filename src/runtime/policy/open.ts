// The approvals desk without a running runtime, for `rein approvals` in another terminal.
import { openAuditLog } from '../audit/index.ts';
import { createRedactor } from '../base/index.ts';
import type { ReinConfig } from '../config/index.ts';
import { ApprovalDesk } from './approval-desk.ts';
import { ApprovalStore } from './approval-store.ts';

export function openApprovalDesk(config: ReinConfig): { desk: ApprovalDesk; close: () => void } {
  const audit = openAuditLog(config);
  const store = new ApprovalStore(config.dataDir, createRedactor(config.secrets));
  return {
    desk: new ApprovalDesk(store, audit, config.policy.always_ttl_s),
    close: () => {
      store.close();
      audit.close();
    },
  };
}
