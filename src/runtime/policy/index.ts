export { PolicyExtension, PolicyRuleError, allowedEndpoints, type PolicyOptions } from './extension.ts';
export { ApprovalDesk, ApprovalNotFoundError, type Answer } from './approval-desk.ts';
export { sqliteApprovalStore, type ApprovalStore, type ApprovalRecord, type Grant } from './approval-store.ts';
export { EgressBlockedError, allowDuring, installEgressGuard, isLocalAddress, parseEndpoint, sameEndpoint, type Endpoint } from './egress.ts';
export { decide, type Decision, type LabeledRule } from './rules.ts';
export { openApprovalDesk, openApprovalStore } from './open.ts';
