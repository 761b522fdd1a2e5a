// Deciding approvals: the one place a decision is recorded, audited and (for "allow always") turned into a grant.
// Used by a waiting run and by `rein approvals allow|deny` in another terminal alike.
import type { ApprovalDecision } from '../../common/index.ts';
import type { AuditSink } from '../audit/index.ts';
import { ReinError } from '../base/index.ts';
import type { ApprovalRecord, ApprovalStore, Grant } from './approval-store.ts';

export interface Answer {
  allow: boolean;
  always?: boolean;
  /** For allow always; default policy.always_ttl_s, else never. */
  expiresInS?: number;
  by: string;
  reason?: string;
}

export class ApprovalNotFoundError extends ReinError {}

export class ApprovalDesk {
  readonly store: ApprovalStore;
  private readonly audit: AuditSink | undefined;
  private readonly alwaysTtlS: number | undefined;

  constructor(store: ApprovalStore, audit: AuditSink | undefined, alwaysTtlS: number | undefined) {
    this.store = store;
    this.audit = audit;
    this.alwaysTtlS = alwaysTtlS;
  }

  listPending(): Promise<ApprovalRecord[]> {
    return this.store.listPending();
  }

  listGrants(): Promise<Grant[]> {
    return this.store.listGrants();
  }

  /** Records a decision; false when the approval was already decided (the first decision wins). */
  async decide(id: string, answer: Answer): Promise<boolean> {
    const approval = await this.store.get(id);
    if (!approval) throw new ApprovalNotFoundError(`no approval with id ${id} (see \`rein approvals list\`)`);
    const ttl = answer.expiresInS ?? this.alwaysTtlS;
    const always = answer.allow && answer.always === true;
    const expiresAt = always && ttl !== undefined ? new Date(Date.now() + ttl * 1000).toISOString() : undefined;
    const decided = await this.store.resolve(id, { allow: answer.allow, always, by: answer.by, ...(answer.reason ? { reason: answer.reason } : {}), ...(expiresAt ? { expiresAt } : {}) });
    if (!decided) return false;
    const decision: ApprovalDecision = !answer.allow ? 'deny' : always ? 'allow_always' : 'allow_once';
    this.audit?.record('approval.resolved', { id, tool: approval.tool, args: approval.args, decision, by: answer.by, reason: answer.reason, expiresAt }, approval.runId);
    if (always) this.audit?.record('policy.change', { change: 'grant added', tool: approval.tool, args: approval.args, expiresAt, by: answer.by, approval: id });
    return true;
  }

  /**
   * A run ended (stopped, failed) while its approvals were still pending: they are denied and used up, so an answer
   * given later cannot wait in the store and allow an identical call of another run (a schedule with approvals: deny).
   */
  async closeRun(runId: string, status: string): Promise<void> {
    for (const approval of (await this.store.listPending()).filter((a) => a.runId === runId)) {
      if (await this.decide(approval.id, { allow: false, by: 'runtime', reason: `its run ended (${status}) before an answer` })) await this.store.consume(approval.id);
    }
  }

  async revokeGrant(id: string, by: string): Promise<boolean> {
    const grant = (await this.store.listGrants()).find((g) => g.id === id);
    if (!grant || !(await this.store.revokeGrant(id))) return false;
    this.audit?.record('policy.change', { change: 'grant revoked', grant: id, tool: grant.tool, args: grant.args, by });
    return true;
  }
}

export function decisionOf(approval: ApprovalRecord): ApprovalDecision {
  return approval.status !== 'allowed' ? 'deny' : approval.always ? 'allow_always' : 'allow_once';
}
