// The approvals section over the policy's ApprovalDesk: the persisted requests (also those of runs before a
// restart), decisions and their history. A decision recorded here reaches a waiting run through the desk's store.
import type { ApprovalChoice, ApprovalRecord, ApprovalRequest, ApprovalsApi } from '../../../common/index.ts';
import { ApprovalNotFoundError, type ApprovalDesk, type ApprovalRecord as StoredApproval } from '../../policy/index.ts';
import { ApiNotFoundError } from '../errors.ts';

/** Who the desk records as the decider. */
const DECIDED_BY = 'user';

export function approvalsService(desk: ApprovalDesk): ApprovalsApi {
  return {
    pending: async () => (await desk.listPending()).map(requestOf),
    decide: async (id, choice) => {
      try {
        const allow = choice.action === 'allow';
        await desk.decide(id, { allow, always: allow && choice.scope === 'always', by: DECIDED_BY, ...(choice.reason ? { reason: choice.reason } : {}), ...(choice.expiresInS ? { expiresInS: choice.expiresInS } : {}) });
      } catch (error) {
        throw error instanceof ApprovalNotFoundError ? new ApiNotFoundError(error.message) : error;
      }
    },
    history: async (limit = 50) => (await desk.store.listDecided(limit)).map(recordOf),
    grants: async () =>
      (await desk.listGrants()).map(({ id, tool, args, createdAt, expiresAt, createdBy, approvalId }) => ({ id, tool, args, createdAt, createdBy, ...(expiresAt ? { expiresAt } : {}), ...(approvalId ? { approvalId } : {}) })),
    revokeGrant: async (id) => {
      if (!(await desk.revokeGrant(id, DECIDED_BY))) throw new ApiNotFoundError(`no live grant with id ${id}`);
    },
  };
}

function requestOf(approval: StoredApproval): ApprovalRequest {
  const { id, tool, args, rule, reason, risk, runId, createdAt, status } = approval;
  return { id, tool, args, rule, reason, risk, runId, requestedAt: createdAt, status };
}

function recordOf(approval: StoredApproval): ApprovalRecord {
  const decision: ApprovalChoice = {
    action: approval.status === 'allowed' ? 'allow' : 'deny',
    scope: approval.always ? 'always' : 'once',
    ...(approval.decisionReason ? { reason: approval.decisionReason } : {}),
  };
  return {
    ...requestOf(approval),
    decision,
    decidedAt: approval.decidedAt ?? approval.createdAt,
    decidedBy: approval.decidedBy ?? 'unknown',
    ...(approval.expiresAt ? { expiresAt: approval.expiresAt } : {}),
  };
}
