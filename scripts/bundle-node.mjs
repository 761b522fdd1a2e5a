#!/usr/bin/env node
// Puts the pinned Node (scripts/pinned-node.json) for one installer target into build/node/<os>-<arch>/, where
// electron-builder.yml's extraResources picks it up as <resources>/node. Sources, in order:
//   --from-local <node binary>   a Node already on this machine (must be the pinned version)
//   the npm registry's node-<platform>-<arch> package, when it has the pinned version (npm checks its integrity)
//   the official distribution from nodejs.org, checked against the release's SHASUMS256.txt
// Usage: node scripts/bundle-node.mjs [--platform linux|darwin|win32] [--arch x64|arm64] [--out build/node] [--from-local PATH]
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '..');
const PIN = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, 'pinned-node.json'), 'utf8'));
/** electron-builder's ${os} for each Node platform. */
const BUILDER_OS = { darwin: 'mac', linux: 'linux', win32: 'win' };

const { values } = parseArgs({
  options: {
    platform: { type: 'string', default: process.platform },
    arch: { type: 'string', default: process.arch },
    out: { type: 'string', default: path.join(ROOT, 'build', 'node') },
    'from-local': { type: 'string' },
  },
});
const { platform, arch } = values;
if (!BUILDER_OS[platform] || !['x64', 'arm64'].includes(arch)) fail(`unsupported target ${platform}-${arch}`);

const target = path.join(path.resolve(values.out), `${BUILDER_OS[platform]}-${arch}`);
const executable = platform === 'win32' ? 'node.exe' : path.join('bin', 'node');
const versionFile = path.join(target, 'VERSION');

if (fs.existsSync(path.join(target, executable)) && readText(versionFile) === PIN.version) {
  console.log(`bundle-node: ${target} already holds Node ${PIN.version}`);
  process.exit(0);
}
fs.rmSync(target, { recursive: true, force: true });
fs.mkdirSync(path.dirname(path.join(target, executable)), { recursive: true });

let version = PIN.version;
if (values['from-local']) version = fromLocal(values['from-local']);
else if (registryHasPin()) fromRegistry();
else await fromNodejsOrg();
fs.writeFileSync(versionFile, version);
if (platform !== 'win32') fs.chmodSync(path.join(target, executable), 0o755);
console.log(`bundle-node: Node ${version} for ${platform}-${arch} in ${target}`);

/** A Node already here (development, tests): same major version as the pin; another patch level is only warned about. */
function fromLocal(binary) {
  const version = execFileSync(binary, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  if (version.split('.')[0] !== PIN.version.split('.')[0]) fail(`${binary} is Node ${version}; the app pins ${PIN.version} (scripts/pinned-node.json)`);
  if (version !== PIN.version) console.warn(`bundle-node: warning: ${binary} is Node ${version}, not the pinned ${PIN.version}`);
  if (platform !== process.platform || arch !== process.arch) fail(`--from-local only works for this machine's ${process.platform}-${process.arch}`);
  fs.copyFileSync(binary, path.join(target, executable));
  return version;
}

function registryPackage() {
  return `node-${platform === 'win32' ? 'win' : platform}-${arch}`;
}

/** The registry's per-platform packages lag behind or are missing (e.g. no Node 24 for darwin-arm64). */
function registryHasPin() {
  const name = registryPackage();
  if (!PIN.registryPackages.includes(name)) return false;
  try {
    return execFileSync('npm', ['view', `${name}@${PIN.version}`, 'version'], { encoding: 'utf8', shell: process.platform === 'win32' }).trim() === PIN.version;
  } catch {
    return false;
  }
}

function fromRegistry() {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-node-'));
  // npm pack verifies the tarball against the registry's integrity hash.
  const file = execFileSync('npm', ['pack', `${registryPackage()}@${PIN.version}`, '--pack-destination', temp], { encoding: 'utf8', shell: process.platform === 'win32' }).trim().split('\n').at(-1);
  execFileSync('tar', ['-xzf', path.join(temp, file), '-C', temp]);
  fs.copyFileSync(path.join(temp, 'package', executable), path.join(target, executable));
  copyLicense(path.join(temp, 'package', 'LICENSE'));
  fs.rmSync(temp, { recursive: true, force: true });
}

async function fromNodejsOrg() {
  const dist = `${PIN.distUrl}/v${PIN.version}`;
  const name = `node-v${PIN.version}-${platform === 'win32' ? 'win' : platform}-${arch}`;
  const archive = platform === 'win32' ? `${name}.zip` : `${name}.tar.gz`;
  const sums = await download(`${dist}/SHASUMS256.txt`);
  const expected = sums.toString('utf8').split('\n').map((line) => line.trim().split(/\s+/)).find(([, file]) => file === archive)?.[0];
  if (!expected) fail(`${dist}/SHASUMS256.txt lists no ${archive}`);
  const data = await download(`${dist}/${archive}`);
  const actual = crypto.createHash('sha256').update(data).digest('hex');
  if (actual !== expected) fail(`checksum mismatch for ${archive}: expected ${expected}, got ${actual}`);
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'rein-node-'));
  fs.writeFileSync(path.join(temp, archive), data);
  // bsdtar (macOS, Windows 10+) reads zip too; GNU tar only needs the .tar.gz.
  execFileSync('tar', ['-xf', path.join(temp, archive), '-C', temp]);
  fs.copyFileSync(path.join(temp, name, executable), path.join(target, executable));
  copyLicense(path.join(temp, name, 'LICENSE'));
  fs.rmSync(temp, { recursive: true, force: true });
}

async function download(url) {
  const response = await fetch(url);
  if (!response.ok) fail(`GET ${url}: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

function copyLicense(file) {
  if (fs.existsSync(file)) fs.copyFileSync(file, path.join(target, 'LICENSE'));
}

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function fail(message) {
  console.error(`bundle-node: ${message}`);
  process.exit(1);
}
