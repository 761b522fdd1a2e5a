// `${env:}` values and token shapes never reach disk in clear: sessions, checkpoints, notes, approvals, audit (also
// at its cut), traces, subagent configs; the data dir is 0700 and its files 0600.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChildHome, referToSecrets } from '../../src/runtime/agents/child-config.ts';
import { Runtime, defaultExtensions, type Tool } from '../../src/runtime/index.ts';
import { ScriptedOllama } from '../support/scripted-ollama.ts';
import { testConfig } from '../support/fixtures.ts';

const SECRET = 'hunter2-vault-token-0123456789';

/** Returns a long output with the secret straddling the audit log's 4,000-character cut. */
const leakyTool: Tool = {
  name: 'leak',
  description: 'prints a secret',
  parameters: { type: 'object', properties: {} },
  capability: 'read',
  source: { kind: 'builtin' },
  run: async () => `${'x'.repeat(3990)}${SECRET} and ghp_abcdefghijklmnopqrstuvwxyz0123`,
};

function allFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? allFiles(full) : [full];
  });
}

describe('secrets at rest', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await ScriptedOllama.start();
  });
  afterAll(() => ollama.close());

  it('nothing in the data dir holds an ${env:} value or a token, and everything is private', async () => {
    const yaml = 'policy:\n  allow_hosts: ["${env:VAULT}"]\n  rules:\n    - { effect: ask, tool: note }\n';
    const config = testConfig(yaml, ollama.url, { VAULT: SECRET });
    const note: Tool = { ...leakyTool, name: 'note', capability: 'write', run: async () => 'noted' };
    const runtime = new Runtime({ config, tools: [leakyTool, note], extensions: defaultExtensions(config), retry: { retries: 0 } });
    ollama.script([
      { toolCalls: [{ name: 'leak', arguments: {} }] },
      { toolCalls: [{ name: 'note', arguments: { text: `remember ${SECRET}` } }] },
      { toolCalls: [{ name: 'remember', arguments: { content: `the vault token is ${SECRET}` } }] },
      { content: `done: ${SECRET}` },
    ]);
    const run = runtime.startRun(`use ${SECRET} to log in`);
    await run.result;
    await runtime.close();

    const files = allFiles(config.dataDir);
    expect(files.map((file) => path.basename(file))).toEqual(expect.arrayContaining(['rein.db', 'policy.db', 'audit.db', `${run.runId}.jsonl`]));
    for (const file of files) {
      const bytes = fs.readFileSync(file).toString('latin1');
      expect(bytes, file).not.toContain(SECRET);
      expect(bytes, file).not.toContain(SECRET.slice(0, 10)); // not even the part before the audit's cut
      expect(bytes, file).not.toContain('ghp_abcdefghij');
      expect(fs.statSync(file).mode & 0o077, `${file} is readable by others`).toBe(0);
    }
    expect(fs.statSync(config.dataDir).mode & 0o777).toBe(0o700);
    const db = new Database(config.memory.path, { readonly: true });
    expect(JSON.stringify(db.prepare('SELECT goal, title FROM sessions').all())).toContain('[REDACTED]');
    db.close();
  });

  it('a subagent\'s config refers to the parent\'s secrets by name; their values go in its environment only', () => {
    const config = testConfig('mcp_servers:\n  - name: api\n    url: https://example.com/mcp\n    headers: { Authorization: "Bearer ${env:API_TOKEN}" }\n', ollama.url, { API_TOKEN: SECRET });
    const home = createChildHome(config, { tools: ['*'] } as never);
    try {
      const text = fs.readFileSync(home.configFile, 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text).toContain('Bearer ${env:REIN_PARENT_SECRET_0}');
      expect(home.secretEnv).toEqual({ REIN_PARENT_SECRET_0: SECRET });
    } finally {
      home.remove();
    }
    expect(referToSecrets({ a: ['x-abcd-y'] }, ['abcd'])).toEqual({ value: { a: ['x-${env:REIN_PARENT_SECRET_0}-y'] }, secretEnv: { REIN_PARENT_SECRET_0: 'abcd' } });
  });
});
