// Path globs see the file the server will really open: a relative path resolved against the server's roots and
// cwd, a symlink followed. Checked against the real filesystem MCP server.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpService, Runtime, parseConfig } from '../../../src/runtime/index.ts';
import { PolicyExtension } from '../../../src/runtime/policy/index.ts';
import { pathBasesFor } from '../../../src/runtime/policy/path-bases.ts';
import { testConfig, tempDir } from '../../support/fixtures.ts';
import { FILESYSTEM, stdioServer } from '../mcp/helpers.ts';

describe('path predicates resolve like the server', () => {
  const root = fs.realpathSync(tempDir());
  let runtime: Runtime;
  beforeAll(async () => {
    fs.mkdirSync(path.join(root, 'secret'));
    fs.writeFileSync(path.join(root, 'secret', 'key.txt'), 'the key');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'just notes');
    fs.symlinkSync(path.join(root, 'secret'), path.join(root, 'link'));
    const yaml = `policy:
  rules:
    - { effect: deny, tool: "files__*", when: { "args.path": { glob: ${JSON.stringify(`${root}/secret/**`)} } } }
    - { effect: allow, tool: "files__*" }
mcp_servers:
${stdioServer('files', FILESYSTEM, [root])}`;
    runtime = new Runtime({ config: testConfig(yaml, 'http://127.0.0.1:9'), extensions: [new PolicyExtension(), new McpService()], trace: false });
    await runtime.start();
  }, 60_000);
  afterAll(() => runtime.close());

  const read = (p: string) =>
    runtime.guard.invoke({ id: `c-${Math.random()}`, name: 'files__read_text_file', arguments: { path: p } }, { runId: 'r1', step: 1, signal: new AbortController().signal, emit: () => undefined });

  it('denies a relative path and a symlink into the denied folder; other files are read', async () => {
    for (const p of ['secret/key.txt', 'link/key.txt', `${root}/link/key.txt`, `${root}/secret/key.txt`]) {
      expect(await read(p), p).toMatchObject({ ok: false, error: expect.stringContaining('denied by policy') });
    }
    expect(await read('notes.txt')).toMatchObject({ ok: true, output: 'just notes' });
  }, 60_000);

  it('bases: a stdio server resolves against its root arguments and cwd; an HTTP server is unknown', () => {
    const config = parseConfig(
      `mcp_servers:\n  - { name: a, command: x, args: ["-y", "pkg", "/data", "~/docs"], cwd: sub }\n  - { name: b, url: "https://example.com/mcp" }\n`,
      { env: { REIN_HOME: tempDir() }, file: '/etc/rein/rein.yaml' },
    );
    const tool = (server: string) => ({ name: 't', description: '', parameters: {}, capability: 'write' as const, source: { kind: 'mcp' as const, server }, run: async () => '' });
    const bases = pathBasesFor(tool('a'), config);
    expect(bases).toContain('/data');
    expect(bases).toContain('/etc/rein/sub');
    expect(bases.some((b) => b.endsWith('/docs') && !b.startsWith('~'))).toBe(true);
    expect(pathBasesFor(tool('b'), config)).toEqual([]);
    expect(pathBasesFor({ ...tool('a'), source: { kind: 'builtin' } }, config)).toEqual([process.cwd()]);
  });
});
