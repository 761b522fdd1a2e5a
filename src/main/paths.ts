// Every path the desktop app resolves, in development and in installed builds, in one place.
// Installed layout (electron-builder.yml, asar off so Node can load the runtime and dlopen its native modules):
//   <resources>/app/{out,bin,src,node_modules,package.json}   the shell bundle, the host entry and its sources
//   <resources>/node/bin/node  (node.exe on Windows)           the pinned Node 24 that runs the host and workers
// In development the app root is the repository and the Node is REIN_NODE, the Node running `npm start`, or the
// registry's node-<platform>-<arch> package in node_modules. The system's PATH is never searched.
import fs from 'node:fs';
import path from 'node:path';

export interface AppLayout {
  isPackaged: boolean;
  /** The folder holding out/, bin/, src/ and node_modules/ (the repository, or <resources>/app). */
  appRoot: string;
  /** Electron's process.resourcesPath (only used when packaged). */
  resourcesPath: string;
  platform?: NodeJS.Platform;
  arch?: string;
  env?: NodeJS.ProcessEnv;
}

export interface NodeChoice {
  path: string;
  /** Where it came from, for error messages. */
  source: 'bundled' | 'REIN_NODE' | 'npm' | 'node_modules';
}

export interface AppPaths {
  appRoot: string;
  /** The built renderer's index.html. */
  renderer: string;
  /** The sandboxed preload bundle. */
  preload: string;
  /** The host entry: `<node> --no-node-snapshot <hostEntry> serve --port 0`. */
  hostEntry: string;
  /** The pinned Node, or undefined (with the places looked at) when there is none. */
  node: NodeChoice | undefined;
  nodeCandidates: string[];
}

export function nodeExecutable(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'node.exe' : path.join('bin', 'node');
}

/** Where the installers put the pinned Node: <resources>/node/bin/node (node.exe on Windows). */
export function bundledNode(resourcesPath: string, platform: NodeJS.Platform = process.platform): string {
  return path.join(resourcesPath, 'node', nodeExecutable(platform));
}

function nodeCandidates(layout: AppLayout): NodeChoice[] {
  const platform = layout.platform ?? process.platform;
  const arch = layout.arch ?? process.arch;
  const env = layout.env ?? process.env;
  if (layout.isPackaged) return [{ path: bundledNode(layout.resourcesPath, platform), source: 'bundled' }];
  const choices: NodeChoice[] = [];
  if (env.REIN_NODE) choices.push({ path: env.REIN_NODE, source: 'REIN_NODE' });
  // `npm start` runs under the Node that runs the CLI and the tests; npm tells us which one.
  if (env.npm_node_execpath) choices.push({ path: env.npm_node_execpath, source: 'npm' });
  const packageName = `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
  choices.push({ path: path.join(layout.appRoot, 'node_modules', packageName, nodeExecutable(platform)), source: 'node_modules' });
  return choices;
}

export function appPaths(layout: AppLayout): AppPaths {
  const root = layout.appRoot;
  const candidates = nodeCandidates(layout);
  return {
    appRoot: root,
    renderer: path.join(root, 'out', 'renderer', 'index.html'),
    preload: path.join(root, 'out', 'preload', 'index.cjs'),
    hostEntry: path.join(root, 'bin', 'rein.mjs'),
    node: candidates.find((choice) => isFile(choice.path)),
    nodeCandidates: candidates.map((choice) => `${choice.path} (${choice.source})`),
  };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
