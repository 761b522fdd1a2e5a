// The audit log's head file (`audit.head`): the last entry's seq and hash with their HMAC, kept beside the database so
// that entries cut from the end are noticed. Written off the tool call's path (at most every HEAD_FLUSH_MS, and at
// close/exit), so the file may lag behind the log by the entries of the last flush interval — verify accepts a head
// that names an entry of the valid chain and says which later entries it does not cover.
import fs from 'node:fs';
import type { Head } from './audit-verify.ts';

/** The head file is brought up to date at most this long after an entry was appended. */
export const HEAD_FLUSH_MS = 1000;

export class HeadFile {
  readonly file: string;
  private readonly wal: string;

  constructor(file: string, databaseFile: string) {
    this.file = file;
    this.wal = `${databaseFile}-wal`;
  }

  read(): Head | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file, 'utf8')) as Head;
    } catch {
      return undefined;
    }
  }

  /**
   * The database runs with synchronous=NORMAL (its write-ahead log is synced only at checkpoints): the log is synced
   * before a head naming its entries is written, so the head never names an entry a power loss could take away.
   */
  syncLog(): void {
    let fd: number | undefined;
    try {
      fd = fs.openSync(this.wal, 'r+'); // writable: Windows flushes only handles opened for writing
      fs.fsyncSync(fd);
    } catch {
      // no WAL (checkpointed and removed: everything is in the synced database file), or flushing is not possible here
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
  }

  /** syncLog on the thread pool: an fsync can take tens of milliseconds on a busy disk. */
  async syncLogInBackground(): Promise<void> {
    let handle: fs.promises.FileHandle | undefined;
    try {
      handle = await fs.promises.open(this.wal, 'r+');
      await handle.sync();
    } catch {
      // as in syncLog
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** Replaces the file atomically: a crash mid-write leaves the old head, never a torn one. */
  write(head: Head): void {
    const temporary = `${this.file}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(head), { mode: 0o600 });
    fs.renameSync(temporary, this.file);
  }
}
