// Project trust, as editors and coding agents do it: a rein.yaml or skills/ found in the working directory can start
// programs (MCP servers), relax the policy and add approved skills, so it is used only once the user trusted that
// folder (`rein trust`). The list of trusted folders lives in the data dir, never in the project.
import fs from 'node:fs';
import path from 'node:path';
import { ReinError } from '../base/index.ts';

const FILE = 'trusted-folders.json';

export interface TrustedFolder {
  dir: string;
  trustedAt: string;
}

/** What a working directory brings that needs trust. */
export interface ProjectFolder {
  dir: string;
  /** `rein.yaml`, `skills/`. */
  found: string[];
  trusted: boolean;
}

export class UntrustedFolderError extends ReinError {
  readonly project: ProjectFolder;
  constructor(project: ProjectFolder) {
    super(
      `the folder ${project.dir} is not trusted: its ${project.found.join(' and ')} can start programs (MCP servers), relax the policy and add approved skills.\n` +
        `  Trust it once with: rein trust ${shellQuote(project.dir)}\n` +
        '  (or name a config explicitly with --config FILE)',
    );
    this.project = project;
  }
}

export class TrustStore {
  readonly file: string;
  constructor(dataDir: string) {
    this.file = path.join(dataDir, FILE);
  }

  list(): TrustedFolder[] {
    try {
      const parsed = JSON.parse(fs.readFileSync(this.file, 'utf8')) as unknown;
      return Array.isArray(parsed) ? parsed.filter((item): item is TrustedFolder => typeof (item as TrustedFolder | null)?.dir === 'string') : [];
    } catch {
      return [];
    }
  }

  /** A folder is trusted when it or a folder above it was trusted. */
  isTrusted(dir: string): boolean {
    const real = canonical(dir);
    return this.list().some((item) => real === item.dir || real.startsWith(item.dir.endsWith(path.sep) ? item.dir : item.dir + path.sep));
  }

  trust(dir: string): TrustedFolder {
    const real = canonical(dir);
    const entry = { dir: real, trustedAt: new Date().toISOString() };
    this.save([...this.list().filter((item) => item.dir !== real), entry]);
    return entry;
  }

  /** True when the folder was in the list. */
  revoke(dir: string): boolean {
    const real = canonical(dir);
    const list = this.list();
    const kept = list.filter((item) => item.dir !== real && item.dir !== path.resolve(dir));
    this.save(kept);
    return kept.length !== list.length;
  }

  private save(list: TrustedFolder[]): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const temp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(list, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(temp, this.file);
  }
}

/** The working directory as a project folder when it brings a rein.yaml or skills/ (and is not the data dir itself). */
export function projectFolder(cwd: string, dataDir: string, configFile: string, skillsDir: string): ProjectFolder | undefined {
  if (canonical(cwd) === canonical(dataDir)) return undefined;
  const found = [fs.existsSync(path.join(cwd, configFile)) ? configFile : '', isDir(path.join(cwd, skillsDir)) ? `${skillsDir}/` : ''].filter(Boolean);
  if (found.length === 0) return undefined;
  return { dir: canonical(cwd), found, trusted: new TrustStore(dataDir).isTrusted(cwd) };
}

function canonical(dir: string): string {
  try {
    return fs.realpathSync(path.resolve(dir));
  } catch {
    return path.resolve(dir);
  }
}

function isDir(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
