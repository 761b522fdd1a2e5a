// Approvals (policy capability): persisted requests that survive a restart, decisions and their audit trail.
import type { RiskClass } from '../events.ts';

export type ApprovalStatus = 'pending' | 'allowed' | 'denied';

export interface ApprovalRequest {
  id: string;
  tool: string;
  args: unknown;
  /** The policy rule that asked (e.g. `policy.rules[2]`, `skills.rules[0]`), and why. */
  rule: string;
  reason: string;
  risk: RiskClass;
  /** The run that asked. After a restart that run is gone; a decision is then used by the next identical call. */
  runId: string;
  requestedAt: string;
  status: ApprovalStatus;
}

export interface ApprovalChoice {
  action: 'allow' | 'deny';
  /** `always` grants this exact call (tool + arguments) from now on, until the grant expires. */
  scope: 'once' | 'always';
  reason?: string;
  /** For allow always: the grant expires after this many seconds (default policy.always_ttl_s, else never). */
  expiresInS?: number;
}

export interface ApprovalRecord extends ApprovalRequest {
  decision: ApprovalChoice;
  decidedAt: string;
  decidedBy: string;
  /** When an "allow always" grant expires. */
  expiresAt?: string;
}

/** An "allow always" decision: this exact tool with exactly these arguments is allowed until it expires. */
export interface ApprovalGrant {
  id: string;
  tool: string;
  args: unknown;
  createdAt: string;
  expiresAt?: string;
  createdBy: string;
  /** The approval it came from. */
  approvalId?: string;
}

export interface ApprovalsApi {
  pending(): Promise<ApprovalRequest[]>;
  decide(id: string, decision: ApprovalChoice): Promise<void>;
  /** Decided approvals, newest first. */
  history(limit?: number): Promise<ApprovalRecord[]>;
  /** Live "allow always" grants. */
  grants(): Promise<ApprovalGrant[]>;
  revokeGrant(id: string): Promise<void>;
}
