// The audit log a config names: <dataDir>/audit.db (SQLite), or the `audit` table of the shared PostgreSQL database
// when memory.episodic is postgres:// (one chain for a team's host and workers).
import { createRedactor } from '../base/index.ts';
import type { StateConfig } from '../config/index.ts';
import type { Keychain } from '../keychain/index.ts';
import { AuditLog, type AuditEntry, type VerifyResult } from './audit-log.ts';

export interface AuditStore {
  /** Where it is, for messages. */
  readonly file: string;
  record(kind: string, data: unknown, runId?: string): void;
  entries(): AsyncIterable<AuditEntry>;
  verify(): Promise<VerifyResult>;
  /** Every recorded entry is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenAuditOptions {
  keychain?: Keychain;
  onError?: (message: string) => void;
}

export async function openAuditStore(config: StateConfig, options: OpenAuditOptions = {}): Promise<AuditStore> {
  const redact = createRedactor(config.secrets);
  if (config.memory.episodic) {
    const { PgAuditLog } = await import('./pg-audit-log.ts');
    return PgAuditLog.open(config.memory.episodic, config.dataDir, redact, options);
  }
  const log = new AuditLog(config.dataDir, redact, options.keychain ? { keychain: options.keychain } : {});
  return {
    file: log.file,
    record: (kind, data, runId) => void log.record(kind, data, runId),
    async *entries() {
      yield* log.entries();
    },
    verify: async () => log.verify(),
    flush: async () => undefined,
    close: async () => log.close(),
  };
}
