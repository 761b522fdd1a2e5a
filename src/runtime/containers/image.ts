// `rein agents image build|check`: a local image made offline from this installation (FROM scratch + COPY of the
// pinned Node, its shared libraries, the `rein` bundle and its native modules), labelled with what it runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execOk, exec, type ContainerEngine } from './engine.ts';
import { ContainerImageError } from './errors.ts';
import { buildId, bundleManifest, installation, nativeFiles, packageClosure, sharedLibraries, type Installation } from './image-files.ts';
import { CONFIG_FILE, DATA_DIR, DATA_MOUNT } from './run-spec.ts';

export const IMAGE_LABEL = 'dev.rein.image';
export const VERSION_LABEL = 'dev.rein.version';
export const BUILD_LABEL = 'dev.rein.build';

/** Where Node sits in the image; the entrypoint runs bin/rein.mjs with it. */
const IMAGE_NODE = '/usr/local/bin/node';
const IMAGE_ROOT = '/rein';
/**
 * Left out of the image: the document parsers (subagents index no knowledge: their config turns it off) and the
 * embedded model engine (a subagent's model calls and embeddings are answered by its parent).
 */
const NOT_IN_IMAGE = new Set(['officeparser', 'unpdf', 'node-llama-cpp']);

export function defaultImageName(version = installation().version): string {
  return `rein-agent:${version}`;
}

export interface BuiltImage {
  image: string;
  version: string;
  build: string;
  /** Files copied into the image, and their total size. */
  files: number;
  bytes: number;
}

/** Builds the image from this installation; no registry, no network. `say` reports each step. */
export async function buildImage(engine: ContainerEngine, options: { image?: string; install?: Installation; say?: (line: string) => void } = {}): Promise<BuiltImage> {
  const install = options.install ?? installation();
  const image = options.image ?? defaultImageName(install.version);
  const say = options.say ?? (() => undefined);
  const manifest = bundleManifest(install.root);
  const build = buildId(install);
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-image-'));
  try {
    const rootfs = path.join(stage, 'rootfs');
    const packages = packageClosure(install.root, (manifest.externals ?? []).filter((name) => !NOT_IN_IMAGE.has(name)));
    const libraries = sharedLibraries([install.node, ...nativeFiles(install.root, packages)]);
    say(`gathering Node ${install.node}, ${libraries.length} shared libraries, the bundle and ${packages.length} packages`);
    const copy = (from: string, to: string) => fs.cpSync(from, path.join(rootfs, to), { recursive: true, dereference: true });
    copy(install.node, IMAGE_NODE);
    for (const library of libraries) copy(library, library);
    copy(path.join(install.root, 'bin/rein.mjs'), `${IMAGE_ROOT}/bin/rein.mjs`);
    copy(path.join(install.root, 'out/cli'), `${IMAGE_ROOT}/out/cli`);
    for (const pkg of packages) copy(path.join(install.root, pkg), `${IMAGE_ROOT}/${pkg}`);
    writeFile(rootfs, `${IMAGE_ROOT}/package.json`, `${JSON.stringify({ name: 'rein', version: install.version, type: 'module', private: true })}\n`);
    writeFile(rootfs, '/etc/passwd', 'root:x:0:0:root:/root:/sbin/nologin\nrein:x:10001:10001:Rein subagent:/tmp:/sbin/nologin\n');
    writeFile(rootfs, '/etc/group', 'root:x:0:\nrein:x:10001:\n');
    fs.mkdirSync(path.join(rootfs, path.dirname(CONFIG_FILE)), { recursive: true });
    // Mount points of the tmpfs's: Podman copies the image folder's mode onto the tmpfs, so it must be open here.
    for (const dir of ['/tmp', DATA_MOUNT]) {
      fs.mkdirSync(path.join(rootfs, dir), { recursive: true });
      fs.chmodSync(path.join(rootfs, dir), 0o1777);
    }
    fs.writeFileSync(path.join(stage, 'Containerfile'), containerfile());
    const { files, bytes } = treeSize(rootfs);
    say(`building ${image} with ${engine.name} (${files} files, ${Math.round(bytes / 1e6)} MB)`);
    const labels = { [IMAGE_LABEL]: 'subagent', [VERSION_LABEL]: install.version, [BUILD_LABEL]: build };
    const previous = await imageId(engine, image);
    await execOk(engine, ['build', '--file', path.join(stage, 'Containerfile'), '--tag', image, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), stage], { timeoutMs: 10 * 60_000 });
    // The image this tag named before is left without a name: remove it (refused, and kept, while a container uses it).
    if (previous && previous !== (await imageId(engine, image))) await exec(engine.bin, ['rmi', previous], { timeoutMs: 60_000 }).catch(() => undefined);
    return { image, version: install.version, build, files, bytes };
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

function containerfile(): string {
  return [
    '# Made by `rein agents image build`: this installation\'s Node, libraries, bundle and native modules.',
    'FROM scratch',
    'COPY rootfs/ /',
    'USER 10001:10001',
    `ENV HOME=/tmp NO_COLOR=1 REIN_HOME=${DATA_DIR}`,
    'WORKDIR /tmp',
    `ENTRYPOINT ["${IMAGE_NODE}", "${IMAGE_ROOT}/bin/rein.mjs"]`,
    '',
  ].join('\n');
}

export interface ImageCheck {
  image: string;
  exists: boolean;
  /** Labels of the image (absent for an image not made by Rein). */
  version?: string;
  build?: string;
  expected: { version: string; build: string };
  /** Made by `rein agents image build` from exactly this installation. */
  current: boolean;
}

export async function checkImage(engine: ContainerEngine, options: { image?: string; install?: Installation } = {}): Promise<ImageCheck> {
  const install = options.install ?? installation();
  const image = options.image ?? defaultImageName(install.version);
  bundleManifest(install.root);
  const expected = { version: install.version, build: buildId(install) };
  const labels = await imageLabels(engine, image);
  if (!labels) return { image, exists: false, expected, current: false };
  const version = labels[VERSION_LABEL];
  const build = labels[BUILD_LABEL];
  return { image, exists: true, ...(version ? { version } : {}), ...(build ? { build } : {}), expected, current: version === expected.version && build === expected.build };
}

async function imageId(engine: ContainerEngine, image: string): Promise<string | undefined> {
  const result = await exec(engine.bin, ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 30_000 });
  return result.code === 0 ? result.stdout.trim().split('\n')[0] : undefined;
}

/** The image's labels, or undefined when the engine does not have it. */
export async function imageLabels(engine: ContainerEngine, image: string): Promise<Record<string, string> | undefined> {
  const result = await exec(engine.bin, ['image', 'inspect', '--format', '{{json .Config.Labels}}', image], { timeoutMs: 30_000 });
  if (result.code !== 0) return undefined;
  try {
    return (JSON.parse(result.stdout.trim().split('\n')[0] ?? 'null') as Record<string, string> | null) ?? {};
  } catch {
    throw new ContainerImageError(`${engine.name} image inspect ${image} answered something unexpected: ${result.stdout.slice(0, 200)}`);
  }
}

function writeFile(rootfs: string, file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(rootfs, file)), { recursive: true });
  fs.writeFileSync(path.join(rootfs, file), text);
}

function treeSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[]) {
    if (!entry.isFile()) continue;
    files++;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return { files, bytes };
}
