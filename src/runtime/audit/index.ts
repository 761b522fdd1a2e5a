export { AuditLog, openAuditLog, type AuditEntry, type VerifyResult } from './audit-log.ts';
export { describeAuditKey } from './audit-key.ts';
export { AuditExtension, type AuditSink } from './extension.ts';
export { openAuditStore, type AuditStore } from './open.ts';
