// The skill files on disk: bundled registry and the user's folder. Re-reads when files change (hot reload),
// keeps per-file errors, writes changes back in each skill's own format and versions them.
import fs from 'node:fs';
import path from 'node:path';
import { errorMessage } from '../base/index.ts';
import { ChangeWatch, statKey } from './change-watch.ts';
import { SkillHistory } from './history.ts';
import { parseSkill, SkillFileError } from './parse.ts';
import { contentKey, serializeSkill } from './serialize.ts';
import type { ChangeSource, Skill, SkillFileIssue, SkillFormat, SkillOrigin } from './types.ts';

export interface SkillDir {
  path: string;
  origin: SkillOrigin;
}

export interface ReloadReport {
  skills: number;
  added: string[];
  changed: string[];
  removed: string[];
  issues: SkillFileIssue[];
}

/** A new version of a skill written by Rein. */
export interface SkillChange {
  skill: string;
  change: 'saved' | 'rolled back';
  version: number;
  /** For a rollback: the version put back. */
  from?: number;
  source: ChangeSource;
  file: string;
}

interface SkillFile {
  file: string;
  format: SkillFormat;
  origin: SkillOrigin;
}

export class SkillStore {
  readonly history: SkillHistory;
  private readonly dirs: SkillDir[];
  private skills = new Map<string, Skill>();
  private issueList: SkillFileIssue[] = [];
  private signature = '';
  /** What each file parsed to, with its mtime/size key. */
  private parsed = new Map<string, { key: string; skill: Skill }>();
  private dirIssues: SkillFileIssue[] = [];
  private readonly listeners = new Set<(change: SkillChange) => void>();
  private readonly watch: ChangeWatch;

  /** Later dirs win on equal names (the user's folder over the bundled one). */
  constructor(dirs: SkillDir[], historyDir: string) {
    // One folder listed twice (skills.registry resolves to the user's folder when rein.yaml sits in the data dir) is
    // read once, as the later (user) folder: read twice, every skill would clash with itself.
    this.dirs = dirs.filter((dir, i) => !dirs.slice(i + 1).some((later) => path.resolve(later.path) === path.resolve(dir.path)));
    this.history = new SkillHistory(historyDir);
    this.watch = new ChangeWatch(this.dirs.map((d) => d.path));
  }

  /** Like refresh(), but only looks at the files when the folders reported a change (cheap enough for every step). */
  refreshIfChanged(): ReloadReport | undefined {
    return this.watch.take() ? this.refresh() : undefined;
  }

  close(): void {
    this.watch.close();
  }

  list(): Skill[] {
    return [...this.skills.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): Skill | undefined {
    return this.skills.get(name);
  }

  issues(): SkillFileIssue[] {
    return [...this.issueList];
  }

  /** Re-reads the folders when any skill file was added, changed or removed; undefined when nothing changed. */
  refresh(): ReloadReport | undefined {
    const files = this.files().map((f) => ({ ...f, key: statKey(f.file) }));
    const signature = [...files.map((f) => `${f.file}:${f.key}`), ...this.dirIssues.map((i) => i.message)].join('\n');
    if (signature === this.signature) return undefined;
    this.signature = signature;
    const before = this.skills;
    const next = new Map<string, Skill>();
    const issues: SkillFileIssue[] = [...this.dirIssues];
    const parsed = new Map<string, { key: string; skill: Skill }>();
    for (const entry of files) {
      try {
        // Only files that changed are parsed again (one skill's outcome counts must not re-read a thousand files).
        const cached = this.parsed.get(entry.file);
        const skill = cached?.key === entry.key ? cached.skill : parseSkill(entry.file, fs.readFileSync(entry.file, 'utf8'), entry.format, entry.origin);
        parsed.set(entry.file, { key: entry.key, skill });
        const clash = next.get(skill.name);
        if (clash && clash.origin === skill.origin) throw new SkillFileError(entry.file, `a skill named "${skill.name}" is already defined in ${clash.file}`);
        next.set(skill.name, skill);
      } catch (error) {
        issues.push({ file: entry.file, message: error instanceof SkillFileError ? error.message.slice(entry.file.length + 2) : errorMessage(error) });
      }
    }
    // The skill in use (not the bundled one it overrides), when it was read again or took over a name.
    for (const skill of next.values()) if (before.get(skill.name) !== skill) this.recordIfNew(skill);
    this.parsed = parsed;
    this.skills = next;
    this.issueList = issues;
    const changed = [...next.values()].filter((s) => before.has(s.name) && before.get(s.name) !== s && contentKey(before.get(s.name)!) !== contentKey(s)).map((s) => s.name);
    return {
      skills: next.size,
      added: [...next.keys()].filter((n) => !before.has(n)),
      changed,
      removed: [...before.keys()].filter((n) => !next.has(n)),
      issues,
    };
  }

  /** Writes a skill (new or changed) in its format and records a version unless only its outcome counts changed. */
  save(input: Skill, source: ChangeSource): Skill {
    const skill = this.writable(input);
    const previous = fs.existsSync(skill.file) ? fs.readFileSync(skill.file, 'utf8') : undefined;
    return this.write(skill, serializeSkill(skill, previous), source);
  }

  /** Writes `skill` as the exact file text it was parsed from (an edit in the UI). */
  writeText(input: Skill, text: string, source: ChangeSource): Skill {
    return this.write(this.writable(input), text, source);
  }

  /** Called with every new version (edits, rollbacks, learned and approved skills; not outcome counts). */
  onVersion(listener: (change: SkillChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Puts back the file text of `version` (recorded as a new version, source user). */
  rollback(name: string, version: number): Skill {
    const current = this.skills.get(name);
    const entry = this.history.get(name, version);
    if (!current || !entry) throw new SkillFileError(name, current ? `no version ${version} (see rein skills history ${name})` : 'no such skill');
    const skill = this.writable(current);
    const restored = parseSkill(skill.file, entry.text, entry.format, skill.origin);
    fs.mkdirSync(path.dirname(skill.file), { recursive: true });
    fs.writeFileSync(skill.file, entry.text);
    this.ownWrite(skill.file, entry.text, entry.format, skill.origin);
    const recorded = this.history.record(name, { source: 'user', format: entry.format, text: entry.text });
    this.skills.set(name, restored);
    this.signature = '';
    this.announce({ skill: name, change: 'rolled back', version: recorded.version, from: version, source: 'user', file: skill.file });
    return restored;
  }

  private write(skill: Skill, text: string, source: ChangeSource): Skill {
    fs.mkdirSync(path.dirname(skill.file), { recursive: true });
    fs.writeFileSync(skill.file, text);
    this.ownWrite(skill.file, text, skill.format, skill.origin);
    const latest = this.history.latest(skill.name);
    const contentChanged = !latest || contentKey(parseSkill(skill.file, latest.text, latest.format, skill.origin)) !== contentKey(skill);
    const recorded = contentChanged ? this.history.record(skill.name, { source, format: skill.format, text }) : undefined;
    this.skills.set(skill.name, skill);
    this.signature = '';
    if (recorded) this.announce({ skill: skill.name, change: 'saved', version: recorded.version, source, file: skill.file });
    return skill;
  }

  /** A file written here: its change events are not a reason to re-read every skill file, and it is not parsed again. */
  private ownWrite(file: string, text: string, format: SkillFormat, origin: SkillOrigin): void {
    let skill: Skill;
    try {
      skill = parseSkill(file, text, format, origin);
    } catch {
      return; // the next look reports what is wrong with it
    }
    this.watch.wrote(file);
    this.parsed.set(file, { key: statKey(file), skill });
  }

  private announce(change: SkillChange): void {
    for (const listener of this.listeners) listener(change);
  }

  /**
   * Bundled skills stay read-only: a change to one (edit, outcome counts) goes to a copy in the user's folder,
   * which overrides the bundled file from then on. A SKILL.md skill's folder is copied with its bundled files.
   */
  private writable(skill: Skill): Skill {
    if (skill.origin !== 'bundled') return skill;
    const bundled = this.dirs.find((d) => d.origin === 'bundled' && isInside(skill.file, d.path));
    const user = this.dirs.find((d) => d.origin === 'user');
    if (!bundled || !user) throw new SkillFileError(skill.file, 'bundled skills are read-only and there is no user skills folder to copy it to');
    const file = path.join(user.path, path.relative(bundled.path, skill.file));
    if (skill.format === 'skill-md' && !fs.existsSync(file)) fs.cpSync(path.dirname(skill.file), path.dirname(file), { recursive: true });
    return { ...skill, file, origin: 'user' };
  }

  /** A version for skills first seen or edited by hand (outside Rein). */
  private recordIfNew(skill: Skill): void {
    const latest = this.history.latest(skill.name);
    let same = false;
    try {
      same = Boolean(latest) && contentKey(parseSkill(skill.file, latest!.text, latest!.format, skill.origin)) === contentKey(skill);
    } catch {
      same = false;
    }
    if (!same) this.history.record(skill.name, { source: 'user', format: skill.format, text: fs.readFileSync(skill.file, 'utf8') });
  }

  private files(): SkillFile[] {
    const files: SkillFile[] = [];
    this.dirIssues = [];
    for (const dir of this.dirs) {
      if (!fs.existsSync(dir.path)) continue;
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir.path, { withFileTypes: true });
      } catch (error) {
        this.dirIssues.push({ file: dir.path, message: `cannot read the skills folder: ${errorMessage(error)}` });
        continue;
      }
      for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(dir.path, entry.name);
        if (entry.isFile() && entry.name.endsWith('.json')) files.push({ file: full, format: 'json', origin: dir.origin });
        if (entry.isDirectory() && fs.existsSync(path.join(full, 'SKILL.md'))) files.push({ file: path.join(full, 'SKILL.md'), format: 'skill-md', origin: dir.origin });
      }
    }
    return files;
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(path.resolve(dir), path.resolve(file));
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
