// The files of the subagent image, gathered from this installation: the Node that runs Rein, the shared libraries
// it and the native modules link against (found with ldd), the `rein` bundle and the node_modules it loads.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ContainerImageError } from './errors.ts';

/** Where Rein is installed: bin/rein.mjs, out/cli/ (the bundle), node_modules/, package.json. */
export const APP_ROOT = path.resolve(import.meta.dirname, import.meta.filename.endsWith('.ts') ? '../../..' : '../..');

export interface Installation {
  root: string;
  /** The Node binary that goes into the image (default: the one running this process). */
  node: string;
  version: string;
}

interface BundleManifest {
  builtAt: number;
  externals?: string[];
  sources: string[];
}

export function installation(root = APP_ROOT, node = process.execPath): Installation {
  const pkg = readJson<{ version?: string }>(path.join(root, 'package.json'));
  return { root, node, version: pkg?.version ?? '0.0.0' };
}

/** The bundle's manifest; throws when there is no bundle or (in a checkout) a source changed since it was built. */
export function bundleManifest(root: string): BundleManifest {
  const manifest = readJson<BundleManifest>(path.join(root, 'out/cli/sources.json'));
  if (!manifest) throw new ContainerImageError(`no built Rein in ${path.join(root, 'out/cli')}: run \`npm run build\` first`);
  if (fs.existsSync(path.join(root, '.git'))) {
    const changed = manifest.sources.find((file) => (fs.statSync(path.join(root, file), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > manifest.builtAt);
    if (changed) throw new ContainerImageError(`the bundle in out/cli is older than ${changed}: run \`npm run build\` first`);
  }
  return manifest;
}

/**
 * Identifies what the image runs: this Rein's version, its bundle and its Node. `rein agents image check` compares
 * it with the image's label.
 */
export function buildId(install: Installation): string {
  const hash = createHash('sha256');
  hash.update(`${install.version}\n${nodeVersion(install.node)}\n`);
  const cli = path.join(install.root, 'out/cli');
  for (const file of fs.readdirSync(cli).sort()) {
    if (file === 'sources.json' || !fs.statSync(path.join(cli, file)).isFile()) continue;
    hash.update(file).update(fs.readFileSync(path.join(cli, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

export function nodeVersion(node: string): string {
  const result = spawnSync(node, ['-p', 'process.version'], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new ContainerImageError(`cannot run the Node for the image (${node}): ${result.stderr || result.error?.message || `exit ${result.status}`}`);
  return result.stdout.trim();
}

/** The external packages of the bundle and everything they depend on, as folders relative to the root. */
export function packageClosure(root: string, externals: readonly string[]): string[] {
  const found = new Set<string>();
  const visit = (name: string, from: string, optional: boolean) => {
    const dir = resolvePackage(root, name, from);
    if (!dir) {
      if (optional) return;
      throw new ContainerImageError(`package ${name} (needed by the bundle) is not in ${path.join(root, 'node_modules')}: run \`npm ci\``);
    }
    const relative = path.relative(root, dir);
    if (found.has(relative)) return;
    found.add(relative);
    const pkg = readJson<{ dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> }>(path.join(dir, 'package.json')) ?? {};
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    // Optional ones are platform binaries (sqlite-vec-linux-x64, …): only the installed one exists.
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  for (const name of externals) visit(name, root, false);
  return [...found].sort();
}

/** Node's lookup: <from>/node_modules/<name>, then each parent folder's, up to the root. */
function resolvePackage(root: string, name: string, from: string): string | undefined {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
}

/** Shared libraries (and the dynamic loader) that these ELF files need, as absolute host paths. */
export function sharedLibraries(binaries: readonly string[]): string[] {
  const libraries = new Set<string>();
  for (const binary of binaries) {
    const result = spawnSync('ldd', [binary], { encoding: 'utf8', timeout: 30_000 });
    if (result.error) throw new ContainerImageError(`cannot run ldd (${result.error.message}): the image is built from this Linux system's libraries`);
    if (result.status !== 0) continue; // not a dynamic executable of this system (another platform's prebuild)
    for (const line of result.stdout.split('\n')) {
      const match = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
      if (match) libraries.add(match[1]!);
    }
  }
  return [...libraries].sort();
}

/** Native code in these package folders: `.node` addons and `.so` extensions (sqlite-vec). */
export function nativeFiles(root: string, packages: readonly string[]): string[] {
  const files: string[] = [];
  for (const pkg of packages) {
    for (const entry of fs.readdirSync(path.join(root, pkg), { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
      if (entry.isFile() && /\.(node|so)$/.test(entry.name)) files.push(path.join(entry.parentPath, entry.name));
    }
  }
  return files;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
