// Approvals (policy capability): persisted requests that survive a restart, decisions and their audit trail.

export interface ApprovalRequest {
  id: string;
  tool: string;
  args: unknown;
  /** The policy rule that asked, and why. */
  rule: string;
  reason: string;
  runId?: string;
  requestedAt: string;
}

export interface ApprovalChoice {
  action: 'allow' | 'deny';
  /** `always` adds a rule so the same call is not asked again. */
  scope: 'once' | 'always';
  reason?: string;
}

export interface ApprovalRecord extends ApprovalRequest {
  decision: ApprovalChoice;
  decidedAt: string;
  decidedBy: string;
}

export interface ApprovalsApi {
  pending(): Promise<ApprovalRequest[]>;
  decide(id: string, decision: ApprovalChoice): Promise<void>;
  history(limit?: number): Promise<ApprovalRecord[]>;
}
