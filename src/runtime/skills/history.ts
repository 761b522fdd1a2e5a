// Every version of every skill: <dataDir>/skill-history/<name>/<version>.json with time and source.
import fs from 'node:fs';
import path from 'node:path';
import type { ChangeSource, SkillFormat, SkillVersion } from './types.ts';

export class SkillHistory {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
  }

  list(name: string): SkillVersion[] {
    const folder = path.join(this.dir, name);
    if (!fs.existsSync(folder)) return [];
    return fs
      .readdirSync(folder)
      .filter((f) => /^\d+\.json$/.test(f))
      .map((f) => JSON.parse(fs.readFileSync(path.join(folder, f), 'utf8')) as SkillVersion)
      .sort((a, b) => a.version - b.version);
  }

  latest(name: string): SkillVersion | undefined {
    return this.list(name).at(-1);
  }

  get(name: string, version: number): SkillVersion | undefined {
    return this.list(name).find((v) => v.version === version);
  }

  record(name: string, entry: { source: ChangeSource; format: SkillFormat; text: string }): SkillVersion {
    const version: SkillVersion = { version: (this.latest(name)?.version ?? 0) + 1, time: new Date().toISOString(), ...entry };
    const folder = path.join(this.dir, name);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${String(version.version).padStart(6, '0')}.json`), `${JSON.stringify(version, null, 2)}\n`);
    return version;
  }
}
