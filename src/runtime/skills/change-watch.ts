// Tells whether skill folders may have changed since the last look, from file-system events, so the per-step hot
// reload does not stat every skill file. A missing folder counts as changed when it appears; a folder that cannot be
// watched (no inotify) is always "changed". Events of a file Rein just wrote itself (outcome counts after every run)
// do not count: the writer already updated its state, and a change there must not re-stat every skill file.
import fs from 'node:fs';
import path from 'node:path';

export class ChangeWatch {
  private readonly dirs: readonly string[];
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly missing = new Set<string>();
  private changed = true;
  /** Files this process wrote, with their mtime/size key right after the write. */
  private readonly written = new Map<string, string>();

  constructor(dirs: readonly string[]) {
    this.dirs = dirs;
  }

  /** True (once) when something changed since the last call, or when a folder cannot be watched. */
  take(): boolean {
    let unwatchable = false;
    for (const dir of this.dirs) {
      if (this.watchers.has(dir)) continue;
      if (!fs.existsSync(dir)) {
        this.missing.add(dir);
        continue;
      }
      if (this.missing.delete(dir)) this.changed = true;
      if (!this.watch(dir)) unwatchable = true;
    }
    const changed = this.changed || unwatchable;
    this.changed = false;
    return changed;
  }

  /** `file` was just written by this process: its events count only if it changes again. */
  wrote(file: string): void {
    this.written.set(path.resolve(file), statKey(file));
  }

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private watch(dir: string): boolean {
    try {
      const watcher = fs.watch(dir, { recursive: true, persistent: false }, (_event, name) => {
        if (!name || !this.isOwnWrite(path.join(dir, name))) this.changed = true;
      });
      watcher.on('error', () => {
        watcher.close();
        this.watchers.delete(dir);
        this.changed = true;
      });
      this.watchers.set(dir, watcher);
      this.changed = true; // it may have changed before the watch began
      return true;
    } catch {
      return false;
    }
  }

  private isOwnWrite(file: string): boolean {
    const key = this.written.get(file);
    if (key === undefined) return false;
    if (key === statKey(file)) return true;
    this.written.delete(file); // changed since: by someone else
    return false;
  }
}

/** A file's mtime and size ('gone' when it does not exist). */
export function statKey(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'gone';
  }
}
