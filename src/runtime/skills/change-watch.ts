// Tells whether skill folders may have changed since the last look, from file-system events, so the per-step hot
// reload does not stat every skill file. A missing folder counts as changed when it appears; a folder that cannot be
// watched (no inotify) is always "changed".
import fs from 'node:fs';

export class ChangeWatch {
  private readonly dirs: readonly string[];
  private readonly watchers = new Map<string, fs.FSWatcher>();
  private readonly missing = new Set<string>();
  private changed = true;

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

  close(): void {
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private watch(dir: string): boolean {
    try {
      const watcher = fs.watch(dir, { recursive: true, persistent: false }, () => (this.changed = true));
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
}
