// The data dir and its files are for this user only: folders 0700, files 0600 (also when they already existed).
// SQLite gives its -wal and -shm files the database file's mode, so a database made private stays private.
import fs from 'node:fs';

export function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmod(dir, 0o700);
}

/** Creates the file empty if missing (an empty file is a new SQLite database) and makes it 0600. */
export function privateFile(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  chmod(file, 0o600);
}

function chmod(target: string, mode: number): void {
  try {
    if ((fs.statSync(target).mode & 0o777) !== mode) fs.chmodSync(target, mode);
  } catch {
    // not ours to change (another owner, a read-only mount): leave it as it is
  }
}
