// Secrets kept OUTSIDE the data dir, by service + account: the OS keychain (macOS Keychain, Windows Credential
// Manager, the Secret Service on Linux) through @napi-rs/keyring, else a 0600 file in a 0700 folder under the user's
// state home. Used for the audit log's key and MCP sign-in tokens.
// Only a store that a NEW process can read counts: on Linux the entries are pinned to the Secret Service, never the
// kernel keyutils keyring the binding falls back to (it does not outlive the login session, and a process in another
// session cannot read it — keys "stored" there were lost and piled up in /proc/keys).
// Environment: REIN_KEYCHAIN_DIR moves the file fallback (tests use a temp dir); REIN_KEYCHAIN=file skips the OS keychain.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Entry, type EntryOptions } from '@napi-rs/keyring';

/** Where a secret lives: the OS keychain (named), or a file. */
export type SecretLocation = { kind: 'keychain'; name: string } | { kind: 'file'; file: string };

/** Where new secrets go, and why (for `rein doctor`). */
export type SecretBackend = { kind: 'keychain'; name: string } | { kind: 'file'; dir: string; reason: string };

export interface KeychainOptions {
  env?: NodeJS.ProcessEnv;
}

export interface Keychain {
  get(service: string, account: string): { value: string; location: SecretLocation } | undefined;
  /** Stores the secret in the OS keychain when it works, else in the fallback file; says where. */
  set(service: string, account: string, value: string): SecretLocation;
  /** Removes it from both places; true when something was removed. */
  delete(service: string, account: string): boolean;
  /** Where new secrets are stored now (probes the OS keychain). */
  backend(): SecretBackend;
  /** The folder of the file fallback. */
  readonly fallbackDir: string;
}

export function openKeychain(options: KeychainOptions = {}): Keychain {
  const env = options.env ?? process.env;
  const dir = fallbackDir(env);
  const system = env.REIN_KEYCHAIN === 'file' ? undefined : osKeychain();
  const fileOf = (service: string, account: string) => path.join(dir, `${safe(service)}.${hashed(account)}.secret`);
  const inKeychain = (): SecretLocation => ({ kind: 'keychain', name: OS_KEYCHAIN_NAME });
  return {
    fallbackDir: dir,
    get(service, account) {
      const fromOs = system?.get(service, account);
      if (fromOs !== undefined) return { value: fromOs, location: inKeychain() };
      const file = fileOf(service, account);
      try {
        return { value: fs.readFileSync(file, 'utf8'), location: { kind: 'file', file } };
      } catch {
        return undefined;
      }
    },
    set(service, account, value) {
      if (system?.set(service, account, value)) {
        fs.rmSync(fileOf(service, account), { force: true }); // an older copy in the file must not shadow it later
        return inKeychain();
      }
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
    backend() {
      if (!system) return { kind: 'file', dir, reason: 'REIN_KEYCHAIN=file' };
      const problem = system.unavailable();
      return problem === undefined ? { kind: 'keychain', name: OS_KEYCHAIN_NAME } : { kind: 'file', dir, reason: problem };
    },
  };
}

/** Where a secret is, in words. */
export function describeLocation(location: SecretLocation): string {
  return location.kind === 'keychain' ? `the ${location.name}` : location.file;
}

/** Where new secrets go, in words. */
export function describeBackend(backend: SecretBackend): string {
  return backend.kind === 'keychain'
    ? `the ${backend.name}`
    : `0600 files in ${backend.dir} (no OS keychain that outlives this process: ${backend.reason})`;
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

const OS_KEYCHAIN_NAME =
  process.platform === 'darwin' ? 'macOS Keychain' : process.platform === 'win32' ? 'Windows Credential Manager' : 'Secret Service (D-Bus)';

/** On Linux only the Secret Service persists; never the kernel keyring (per session, lost at logout/reboot). */
const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };

interface OsKeychain {
  get(service: string, account: string): string | undefined;
  set(service: string, account: string, value: string): boolean;
  delete(service: string, account: string): boolean;
  /** Why the OS keychain cannot be used now, or undefined when it can. */
  unavailable(): string | undefined;
}

/** The OS keychain; every call that fails (no Secret Service, locked, denied) counts as "not there". */
function osKeychain(): OsKeychain {
  const entry = (service: string, account: string) => new Entry(service, account, ENTRY_OPTIONS);
  return {
    get: (service, account) => {
      try {
        return entry(service, account).getPassword() ?? undefined;
      } catch {
        return undefined;
      }
    },
    set: (service, account, value) => {
      try {
        const item = entry(service, account);
        item.setPassword(value);
        return item.getPassword() === value;
      } catch {
        return false;
      }
    },
    delete: (service, account) => {
      try {
        return entry(service, account).deletePassword();
      } catch {
        return false;
      }
    },
    unavailable: () => {
      try {
        entry('rein.probe', 'availability').getPassword();
        return undefined;
      } catch (error) {
        if (process.platform !== 'linux') return (error as Error).message.split('\n')[0]!.slice(0, 200);
        return process.env.DBUS_SESSION_BUS_ADDRESS
          ? `no Secret Service on the session D-Bus (${(error as Error).message.split('\n')[0]!.slice(0, 160)})`
          : 'no Secret Service: there is no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set)';
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
