// Every CLI command's output is terminal-safe (not only `rein run`'s): a model-written note with escapes (erase line,
// colours, window title, C1 CSI, bidi override) is shown with them made visible, JSON output stays valid and
// unchanged in meaning; Rein's own colours pass only as markers nobody else can write. A command piped into a closed
// pipe (`… | head -1`) exits 0 quietly.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { openAuditLog, parseConfig } from '../../src/runtime/index.ts';
import { SqliteMemoryStore } from '../../src/runtime/memory/index.ts';
import { styleFor } from '../../src/cli/io.ts';
import { SafeStream, safeText } from '../../src/cli/safe-output.ts';
import { REIN_BIN, runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';

const HOSTILE = 'deploy\x1b]0;pwned\x07\x1b[2K\x1b[31mred\x9b2J\u202eevil\rforged';

describe('terminal-safe output for every command', () => {
  it('`rein memory list` shows a model-written note\'s control characters made visible; --json keeps the text', async () => {
    const home = tempDir('rein-safe-');
    const config = parseConfig('', { env: { REIN_HOME: home }, baseDir: home });
    const store = new SqliteMemoryStore(config.memory.path);
    await store.addNote({ content: HOSTILE, kind: 'fact', source: 'remember' });
    await store.close();
    const list = await runRein(['memory', 'list'], { env: { REIN_HOME: home } });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('deploy\\e]0;pwned\\x07\\e[2K\\e[31mred\\u009b2J\\u202eevil');
    expect(list.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/); // eslint-disable-line no-control-regex
    const json = await runRein(['memory', 'list', '--json'], { env: { REIN_HOME: home } });
    expect(json.stdout).not.toMatch(/[\u007f-\u009f\u202e]/);
    expect(json.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { text: string }).text)).toContain(HOSTILE);
  });

  it('lets only Rein\'s own styling through: the same sequence written by anyone else is made visible', () => {
    const written: string[] = [];
    const stream = new SafeStream({ isTTY: true, write: (text: string) => written.push(text) } as unknown as NodeJS.WritableStream & { isTTY: boolean });
    const style = styleFor(stream, {});
    stream.write(`${style.red('✗ failed')} ${HOSTILE}`);
    expect(written.join('')).toBe(`\x1b[31m✗ failed\x1b[0m ${safeText(HOSTILE)}`);
    expect(safeText('\x1b[31m')).toBe('\\e[31m');
    expect(safeText('\uE000\uE00131m\uE001')).toBe('\uE000\uE00131m\uE001'); // a guessed marker stays text
  });

  it('a command piped into a reader that closed early (`| head -1`) exits 0 quietly, no EPIPE stack trace', () => {
    const home = tempDir('rein-pipe-');
    const log = openAuditLog(parseConfig('', { env: { REIN_HOME: home }, baseDir: home }));
    for (let i = 0; i < 3000; i++) log.record('test.entry', { i, text: 'x'.repeat(200) });
    log.close();
    const result = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${REIN_BIN}" audit export | head -1 > /dev/null`], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, REIN_HOME: home, REIN_KEYCHAIN_DIR: process.env.REIN_KEYCHAIN_DIR },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
