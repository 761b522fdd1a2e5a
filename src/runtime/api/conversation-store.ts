// What the user decided about conversations, in <dataDir>/conversations.json: their titles and the removed ones.
import fs from 'node:fs';
import path from 'node:path';

interface Stored {
  titles: Record<string, string>;
  removed: string[];
}

export class ConversationStore {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'conversations.json');
  }

  read(): Stored {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as Partial<Stored>;
      return { titles: parsed.titles ?? {}, removed: parsed.removed ?? [] };
    } catch {
      return { titles: {}, removed: [] }; // none yet (or unreadable: starting over loses titles only)
    }
  }

  removed(): Set<string> {
    return new Set(this.read().removed);
  }

  update(change: (stored: Stored) => void): void {
    const stored = this.read();
    change(stored);
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(stored, null, 2)}\n`);
    fs.renameSync(temp, this.file);
  }
}
