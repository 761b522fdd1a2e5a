import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fallbackDir, isInside, openKeychain } from '../../../src/runtime/keychain/index.ts';
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

  it('falls back to the file when the OS keychain is unavailable (no Secret Service here)', () => {
    const dir = path.join(tempDir(), 'keys');
    const keychain = openKeychain({ env: { REIN_KEYCHAIN_DIR: dir } });
    const service = `rein.test.${process.pid}`;
    const location = keychain.set(service, 'x', 'v');
    expect(keychain.get(service, 'x')?.value).toBe('v');
    expect(keychain.delete(service, 'x')).toBe(true);
    expect(['keychain', 'file']).toContain(location.kind);
  });

  it('keeps the fallback under the state home, not the config folder that holds the data dir', () => {
    expect(fallbackDir({ HOME: '/home/u' })).toBe(path.join('/home/u', '.local', 'state', 'rein', 'keys'));
    expect(fallbackDir({ HOME: '/home/u', XDG_STATE_HOME: '/s' })).toBe(path.join('/s', 'rein', 'keys'));
    expect(isInside('/a/b/c', '/a')).toBe(true);
    expect(isInside('/ab/c', '/a')).toBe(false);
  });
});
