// The audit log's key: a random HMAC key kept OUTSIDE the data dir (OS keychain, else a 0600 file under the state
// home), one per data dir. Whoever can write the data dir but not read the key cannot forge or re-link entries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { canonicalJson, sha256 } from '../base/index.ts';
import { describeLocation, isInside, openKeychain, type Keychain, type SecretLocation } from '../keychain/index.ts';

const SERVICE = 'rein.audit';

export class AuditKey {
  private key: Buffer | undefined;
  private where: SecretLocation | { kind: 'environment' } | undefined;
  private readonly account: string;
  private readonly dataDir: string;
  private readonly keychain: Keychain;

  private readonly env: NodeJS.ProcessEnv;

  /** `account`: whose key (default: the data dir; a shared database names its server and database). */
  constructor(dataDir: string, keychain: Keychain = openKeychain(), options: { account?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.dataDir = dataDir;
    this.keychain = keychain;
    this.account = options.account ?? path.resolve(dataDir);
    this.env = options.env ?? process.env;
  }

  /** The key if one exists (nothing is created): REIN_AUDIT_KEY (64 hex digits, shared by a team's hosts), else the keychain. */
  find(): Buffer | undefined {
    if (this.key) return this.key;
    const given = this.env.REIN_AUDIT_KEY?.trim();
    if (given && /^[0-9a-f]{64}$/i.test(given)) {
      this.key = Buffer.from(given, 'hex');
      this.where = { kind: 'environment' };
      return this.key;
    }
    const found = this.keychain.get(SERVICE, this.account);
    if (found && /^[0-9a-f]{64}$/.test(found.value)) {
      this.key = Buffer.from(found.value, 'hex');
      this.where = found.location;
    }
    return this.key;
  }

  /** The key, made on first use; `created` tells the caller a new key began now. */
  obtain(): { key: Buffer; created: boolean } {
    const existing = this.find();
    if (existing) return { key: existing, created: false };
    const key = randomBytes(32);
    this.where = this.keychain.set(SERVICE, this.account, key.toString('hex'));
    this.key = key;
    return { key, created: true };
  }

  /** Where the key is, in words (for `audit verify`). */
  describe(): string {
    if (!this.where) {
      const backend = this.keychain.backend();
      return `no key found (looked in REIN_AUDIT_KEY, ${backend.kind === 'keychain' ? `the ${backend.name} and ` : ''}${this.keychain.fallbackDir})`;
    }
    if (this.where.kind === 'environment') return 'REIN_AUDIT_KEY';
    return this.where.kind === 'keychain' ? `${describeLocation(this.where)}, service ${SERVICE}` : this.where.file;
  }

  /** True when the key file sits inside the data dir, so the key protects nothing. */
  insideDataDir(): boolean {
    return this.where?.kind === 'file' && isInside(this.where.file, this.dataDir);
  }
}

export function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('hex');
}

export function macMatches(key: Buffer, text: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string' || given.length !== 64) return false;
  return timingSafeEqual(Buffer.from(mac(key, text), 'hex'), Buffer.from(given, 'hex'));
}

/** An entry's hash: the one before it plus its own fields. */
export function entryHash(prevHash: string, row: { seq: number; time: string; kind: string; run_id: string | null; data: string }): string {
  return sha256(`${prevHash}\n${canonicalJson([row.seq, row.time, row.kind, row.run_id, row.data])}`);
}

export const entryMacText = (hash: string) => `entry\n${hash}`;
export const headMacText = (seq: number, hash: string) => `head\n${seq}\n${hash}`;

/** Where the audit key of a data dir is, in words, without making one (for `rein doctor`). */
export function describeAuditKey(dataDir: string, keychain: Keychain = openKeychain()): string {
  const key = new AuditKey(dataDir, keychain);
  return key.find() ? key.describe() : `none yet (made by the first audited action); ${key.describe()}`;
}
