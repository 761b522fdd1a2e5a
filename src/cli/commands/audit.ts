// `rein audit verify|export`: check the hash chain of the audit log, or write it out as JSONL.
import fs from 'node:fs';
import { openAuditStore, type AuditStore } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

export const audit: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [action] = args;
    if (action !== 'verify' && action !== 'export') {
      io.stderr.write('Usage: rein audit verify | rein audit export [--out FILE]\n');
      return ExitCode.usage;
    }
    const settings = config();
    let log: AuditStore;
    try {
      log = await openAuditStore(settings);
    } catch (error) {
      io.stderr.write(`✗ cannot read the audit log in ${settings.dataDir}: ${(error as Error).message.split('\n')[0]}\n`);
      return ExitCode.failed;
    }
    try {
      if (action === 'verify') {
        const result = await log.verify();
        if (result.ok) io.stdout.write(`✓ audit log intact: ${result.entries} entries (${log.file})\n`);
        else io.stdout.write(`✗ audit log broken at entry ${result.brokenSeq}: ${result.problem} (${result.entries} entries before it verified; ${log.file})\n`);
        const { proof } = result;
        io.stdout.write(`  authenticated with the audit key: ${proof.authenticated > 0 ? `entries 1–${proof.authenticated}` : 'none'} (key: ${proof.key})\n`);
        for (const limit of proof.limits) io.stdout.write(`  cannot prove: ${limit}\n`);
        return result.ok ? ExitCode.ok : ExitCode.failed;
      }
      const out = typeof options.out === 'string' ? fs.openSync(options.out, 'w') : undefined;
      let count = 0;
      try {
        for await (const entry of log.entries()) {
          const line = `${JSON.stringify(entry)}\n`;
          if (out === undefined) io.stdout.write(line);
          else fs.writeSync(out, line);
          count++;
        }
      } finally {
        if (out !== undefined) fs.closeSync(out);
      }
      if (out !== undefined) io.stderr.write(`exported ${count} audit entries to ${String(options.out)}\n`);
      return ExitCode.ok;
    } finally {
      await log.close();
    }
  },
};
