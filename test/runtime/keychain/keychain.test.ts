import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBackend, fallbackDir, isInside, openKeychain } from '../../../src/runtime/keychain/index.ts';
import { tempDir } from '../../support/fixtures.ts';

describe('keychain', () => {
  it('stores, reads and deletes a secret by service and account in a 0600 file in a 0700 folder', () => {
    const dir = path.join(tempDir(), 'keys');
    const keychain = openKeychain({ env: { REIN_KEYCHAIN_DIR: dir, REIN_KEYCHAIN: 'file' } });
    expect(keychain.get('rein.test', 'a')).toBeUndefined();
    const location = keychain.set('rein.test', 'a', 's3cret');
    expect(location.kind).toBe('file');
    const file = (location as { file: string }).file;
    expect(isInside(file, dir)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(keychain.get('rein.test', 'a')).toEqual({ value: 's3cret', location });
    expect(keychain.get('rein.test', 'b')).toBeUndefined();
    keychain.set('rein.test', 'a', 'new');
    expect(keychain.get('rein.test', 'a')?.value).toBe('new');
    expect(keychain.delete('rein.test', 'a')).toBe(true);
    expect(keychain.get('rein.test', 'a')).toBeUndefined();
    expect(keychain.delete('rein.test', 'a')).toBe(false);
  });

  it('with the default selection, stores only where a new process can read it — never the kernel session keyring', async () => {
    const dir = path.join(tempDir(), 'keys');
    const env = { REIN_KEYCHAIN_DIR: dir };
    const keychain = openKeychain({ env });
    const service = `rein.test.${process.pid}.${Date.now()}`;
    const location = keychain.set(service, 'x', 'v');
    const backend = keychain.backend();
    expect(location.kind).toBe(backend.kind);
    // Another process reads what this one wrote (the kernel keyring of @napi-rs/keyring's fallback could not).
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { openKeychain } = await import(${JSON.stringify(path.resolve('src/runtime/keychain/index.ts'))});
      process.stdout.write(JSON.stringify(openKeychain().get(${JSON.stringify(service)}, 'x')?.value ?? null));
    `], { env: { ...process.env, ...env }, encoding: 'utf8' });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toBe('v');
    if (fs.existsSync('/proc/keys')) expect(fs.readFileSync('/proc/keys', 'utf8')).not.toContain(service);
    expect(keychain.delete(service, 'x')).toBe(true);
    expect(keychain.get(service, 'x')).toBeUndefined();
  });

  it('says where new secrets go and why (no Secret Service on this machine: the 0600 files)', () => {
    const dir = path.join(tempDir(), 'keys');
    const backend = openKeychain({ env: { REIN_KEYCHAIN_DIR: dir } }).backend();
    if (process.platform === 'linux' && !process.env.DBUS_SESSION_BUS_ADDRESS) {
      expect(backend).toMatchObject({ kind: 'file', dir, reason: 'no Secret Service: there is no session D-Bus (DBUS_SESSION_BUS_ADDRESS is not set)' });
      expect(describeBackend(backend)).toContain(`0600 files in ${dir}`);
    }
    expect(openKeychain({ env: { REIN_KEYCHAIN_DIR: dir, REIN_KEYCHAIN: 'file' } }).backend()).toEqual({ kind: 'file', dir, reason: 'REIN_KEYCHAIN=file' });
  });

  it('keeps the fallback under the state home, not the config folder that holds the data dir', () => {
    expect(fallbackDir({ HOME: '/home/u' })).toBe(path.join('/home/u', '.local', 'state', 'rein', 'keys'));
    expect(fallbackDir({ HOME: '/home/u', XDG_STATE_HOME: '/s' })).toBe(path.join('/s', 'rein', 'keys'));
    expect(isInside('/a/b/c', '/a')).toBe(true);
    expect(isInside('/ab/c', '/a')).toBe(false);
  });
});
