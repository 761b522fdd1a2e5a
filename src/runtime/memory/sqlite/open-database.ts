// Opens the memory file: refuses anything that is not SQLite (leaving it untouched), then WAL, foreign keys,
// sqlite-vec, and the numbered migrations.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { errorMessage, privateFile } from '../../base/index.ts';
import { MemoryStoreError } from '../errors.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations.ts';

const SQLITE_HEADER = 'SQLite format 3\0';
const MMAP_BYTES = 1024 * 1024 * 1024;
const CACHE_KIB = 64 * 1024;

export type Db = Database.Database;

/** `upTo`: apply migrations only up to this version (tests build older schemas with it). */
export function openDatabase(file: string, upTo: number = SCHEMA_VERSION): Db {
  checkHeader(file);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }); // memory.path may be in a folder of the user's: only a new one is made private
  let db: Db | undefined;
  try {
    privateFile(file);
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Vector search scans every vector: read them through the OS page cache instead of copying pages.
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    db.pragma(`cache_size = -${CACHE_KIB}`);
    sqliteVec.load(db);
    migrate(db, file, upTo);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof MemoryStoreError) throw error;
    throw new MemoryStoreError(`cannot open the memory database ${file}: ${errorMessage(error)}`, { cause: error });
  }
}

function checkHeader(file: string): void {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return; // does not exist yet: it will be created
  }
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = fs.readSync(fd, header, 0, header.length, 0);
    if (read > 0 && header.toString('latin1', 0, read) !== SQLITE_HEADER.slice(0, read)) {
      throw new MemoryStoreError(`${file} is not a SQLite database (memory.path); it was left untouched — move it away or point memory.path elsewhere`);
    }
    if (read > 0 && read < header.length) throw new MemoryStoreError(`${file} is a truncated SQLite file (memory.path); it was left untouched`);
  } finally {
    fs.closeSync(fd);
  }
}

function migrate(db: Db, file: string, upTo: number): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new MemoryStoreError(`${file} has memory schema version ${version}, newer than this Rein understands (${SCHEMA_VERSION}); update Rein`);
  }
  for (let next = version + 1; next <= upTo; next++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[next - 1]!);
      db.pragma(`user_version = ${next}`);
    })();
  }
}
