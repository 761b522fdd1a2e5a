// Secrets kept OUTSIDE the data dir, by service + account: the OS keychain (macOS Keychain, Windows Credential
// Manager, Secret Service on Linux) through @napi-rs/keyring, else a 0600 file in a 0700 folder under the user's
// state home. Used for the audit log's key; meant for other secrets too (MCP OAuth tokens).
// Environment: REIN_KEYCHAIN_DIR moves the file fallback (tests use a temp dir); REIN_KEYCHAIN=file skips the OS keychain.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entry } from '@napi-rs/keyring';

/** Where a secret lives: the OS keychain, or a file (named). */
export type SecretLocation = { kind: 'keychain' } | { kind: 'file'; file: string };

export interface KeychainOptions {
  env?: NodeJS.ProcessEnv;
}

export interface Keychain {
  get(service: string, account: string): { value: string; location: SecretLocation } | undefined;
  /** Stores the secret in the OS keychain when it works, else in the fallback file; says where. */
  set(service: string, account: string, value: string): SecretLocation;
  /** Removes it from both places; true when something was removed. */
  delete(service: string, account: string): boolean;
  /** The folder of the file fallback. */
  readonly fallbackDir: string;
}

export function openKeychain(options: KeychainOptions = {}): Keychain {
  const env = options.env ?? process.env;
  const dir = fallbackDir(env);
  const system = env.REIN_KEYCHAIN === 'file' ? undefined : osKeychain();
  const fileOf = (service: string, account: string) => path.join(dir, `${safe(service)}.${hashed(account)}.secret`);
  return {
    fallbackDir: dir,
    get(service, account) {
      const fromOs = system?.get(service, account);
      if (fromOs !== undefined) return { value: fromOs, location: { kind: 'keychain' } };
      const file = fileOf(service, account);
      try {
        return { value: fs.readFileSync(file, 'utf8'), location: { kind: 'file', file } };
      } catch {
        return undefined;
      }
    },
    set(service, account, value) {
      if (system?.set(service, account, value)) return { kind: 'keychain' };
      const file = fileOf(service, account);
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      fs.chmodSync(dir, 0o700);
      const temp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(temp, value, { mode: 0o600 });
      fs.renameSync(temp, file);
      return { kind: 'file', file };
    },
    delete(service, account) {
      const fromOs = system?.delete(service, account) ?? false;
      const file = fileOf(service, account);
      const fromFile = fs.existsSync(file);
      fs.rmSync(file, { force: true });
      return fromOs || fromFile;
    },
  };
}

/** The fallback folder: REIN_KEYCHAIN_DIR, else `$XDG_STATE_HOME/rein/keys` (default `~/.local/state/rein/keys`). */
export function fallbackDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.REIN_KEYCHAIN_DIR) return path.resolve(env.REIN_KEYCHAIN_DIR);
  const home = env.HOME ?? os.homedir();
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'Rein', 'keys');
  return path.join(env.XDG_STATE_HOME ?? path.join(home, '.local', 'state'), 'rein', 'keys');
}

/** True when `file` is inside `dir` (a key there would be held by whoever can write that folder). */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

interface OsKeychain {
  get(service: string, account: string): string | undefined;
  set(service: string, account: string, value: string): boolean;
  delete(service: string, account: string): boolean;
}

/** The OS keychain; every call that fails (no Secret Service, locked, denied) counts as "not there". */
function osKeychain(): OsKeychain {
  return {
    get: (service, account) => {
      try {
        return new Entry(service, account).getPassword() ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (service, account, value) => {
      try {
        const entry = new Entry(service, account);
        entry.setPassword(value);
        return entry.getPassword() === value;
      } catch {
        return false;
      }
    },
    delete: (service, account) => {
      try {
        return new Entry(service, account).deletePassword();
      } catch {
        return false;
      }
    },
  };
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 64);
}

function hashed(account: string): string {
  return createHash('sha256').update(account).digest('hex').slice(0, 32);
}
