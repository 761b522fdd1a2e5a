// `rein trust [dir] | --list | --revoke [dir]`: which folders' rein.yaml and skills/ Rein may use.
import path from 'node:path';
import { TrustStore, dataDir } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const trust: CommandRunner = {
  run: ({ args, options, io }) => {
    const store = new TrustStore(dataDir(io.env));
    if (options.list) {
      const folders = store.list();
      if (folders.length === 0) io.stdout.write('no trusted folders\n');
      for (const folder of folders) io.stdout.write(`${folder.dir}  (trusted ${folder.trustedAt})\n`);
      return Promise.resolve(ExitCode.ok);
    }
    const dir = path.resolve(io.cwd, args[0] ?? '.');
    if (options.revoke) {
      const removed = store.revoke(dir);
      io.stdout.write(removed ? `no longer trusted: ${dir}\n` : `${dir} was not trusted\n`);
      return Promise.resolve(removed ? ExitCode.ok : ExitCode.failed);
    }
    const entry = store.trust(dir);
    io.stdout.write(`trusted: ${entry.dir} — its rein.yaml (MCP servers, policy) and skills/ will be used (undo: rein trust --revoke ${entry.dir})\n`);
    return Promise.resolve(ExitCode.ok);
  },
};
