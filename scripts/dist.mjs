#!/usr/bin/env node
// `npm run dist`: the installers for THIS machine's OS and CPU. node_modules' native modules were built by
// `npm ci` for this platform and the pinned Node, so each installer is built on its own OS/CPU (a CI matrix).
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const run = (command, args) => execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
const PLATFORM_FLAG = { darwin: '--mac', linux: '--linux', win32: '--win' };

run('npx', ['electron-vite', 'build']);
run(process.execPath, [path.join(ROOT, 'scripts', 'build-cli.mjs')]); // the host bundle (out/cli), fresh for the installer
run(process.execPath, [path.join(ROOT, 'scripts', 'bundle-node.mjs')]);
run('npx', ['electron-builder', '--config', 'electron-builder.yml', PLATFORM_FLAG[process.platform], `--${process.arch}`, ...process.argv.slice(2)]);
