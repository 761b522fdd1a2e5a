// Malformed inputs end with the documented exit code and a one-line error, never a stack trace.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/fixtures.ts';
import { runRein, type CliResult } from '../support/cli.ts';

const LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');

function expectOneLine(result: CliResult, code: number, text: string | RegExp): void {
  expect(result.code).toBe(code);
  expect(result.stderr).toMatch(text);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

describe('malformed inputs', () => {
  it('a billion-laughs rein.yaml is a config error (exit 2), not a crash', async () => {
    const home = tempDir();
    const file = path.join(home, 'laughs.yaml');
    fs.writeFileSync(file, LAUGHS);
    expectOneLine(await runRein(['doctor', '--config', file], { env: { REIN_HOME: home } }), 2, /laughs\.yaml:1:1 +YAML: Excessive alias count/);
  });

  it('audit verify and approvals on files that are not SQLite databases: one line, exit 1', async () => {
    const home = tempDir();
    for (const name of ['audit.db', 'policy.db']) fs.writeFileSync(path.join(home, name), 'this is not a database\n'.repeat(100));
    expectOneLine(await runRein(['audit', 'verify'], { env: { REIN_HOME: home } }), 1, /cannot read the audit log in .*: file is not a database/);
    expectOneLine(await runRein(['approvals', 'list'], { env: { REIN_HOME: home } }), 1, /^rein approvals: file is not a database$/m);
  });

  it('unknown options are usage errors (exit 2)', async () => {
    expectOneLine(await runRein(['sessions', '--limit', 'x']), 2, /Unknown option '--limit'/);
  });
});
