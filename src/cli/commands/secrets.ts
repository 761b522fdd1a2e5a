// `rein secrets set|delete NAME`: keys for model servers (and other secrets) kept in the OS keychain — or a 0600 file
// where there is none — under the service rein.secrets, so rein.yaml names them (`api_key: keychain:NAME`) instead of
// holding them. The value comes from stdin: typed without echo on a terminal, or piped. No config is loaded: a
// rein.yaml that names a secret not yet stored must not stop you from storing it.
import { SECRETS_SERVICE, openKeychain } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { readHidden } from '../hidden-input.ts';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const secrets: CommandRunner = {
  run: async ({ args, io }) => {
    const [action, name, extra] = args;
    if (!action || !['set', 'delete'].includes(action) || !name || extra !== undefined) {
      io.stderr.write('rein secrets: use `rein secrets set NAME` (the value from stdin) or `rein secrets delete NAME`\n');
      return ExitCode.usage;
    }
    if (!NAME.test(name)) {
      io.stderr.write(`rein secrets: "${name}" is not a secret name: letters, digits, ., _ and - (at most 64), e.g. lmstudio\n`);
      return ExitCode.usage;
    }
    const keychain = openKeychain({ env: io.env });
    if (action === 'delete') {
      if (!keychain.delete(SECRETS_SERVICE, name)) {
        io.stderr.write(`rein secrets: no secret named ${name}\n`);
        return ExitCode.failed;
      }
      io.stdout.write(`deleted secret ${name}\n`);
      return ExitCode.ok;
    }
    const value = await readValue(name);
    if (!value) {
      io.stderr.write(`rein secrets: no value given for ${name} (type it, or pipe it: printf %s "$KEY" | rein secrets set ${name})\n`);
      return ExitCode.usage;
    }
    const where = keychain.set(SECRETS_SERVICE, name, value);
    const place = where.kind === 'keychain' ? 'the OS keychain' : `${where.file} (readable by you only; no OS keychain here)`;
    io.stdout.write(`stored secret ${name} in ${place} — use it in rein.yaml as api_key: keychain:${name}\n`);
    return ExitCode.ok;
  },
};

async function readValue(name: string): Promise<string> {
  if (process.stdin.isTTY) return (await readHidden(`Value for ${name} (not shown): `, process.stdin, process.stderr)).trim();
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.replace(/\r?\n$/, '');
}
