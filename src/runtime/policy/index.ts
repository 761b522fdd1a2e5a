export { PolicyExtension, PolicyRuleError, allowedEndpoints, type PolicyOptions } from './extension.ts';
export { ApprovalDesk, ApprovalNotFoundError, type Answer } from './approval-desk.ts';
export { ApprovalStore, type ApprovalRecord, type Grant } from './approval-store.ts';
export { EgressBlockedError, installEgressGuard, isLocalAddress, parseEndpoint, sameEndpoint, type Endpoint } from './egress.ts';
export { decide, type Decision, type LabeledRule } from './rules.ts';
export { openApprovalDesk } from './open.ts';
