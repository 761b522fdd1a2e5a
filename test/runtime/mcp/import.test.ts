// Claude Desktop / Cursor JSON import into rein.yaml: mapped fields, kept comments, reported unknown fields.
import { runRein, type CliResult } from '../../support/cli.ts';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importMcpServers, McpImportError, parseConfig } from '../../../src/runtime/index.ts';
import { tempDir } from '../../support/fixtures.ts';
import { FIXTURE, stdioServer } from './helpers.ts';

const CLAUDE_JSON = JSON.stringify({
  mcpServers: {
    filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' } },
    'remote api': { type: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer x' }, disabled: true },
    web: { url: 'https://example.com/mcp', transport: 'http', autoApprove: ['search'], timeout: 60 },
  },
});

describe('rein mcp import', () => {
  it('adds the servers to the config, keeps its comments, and reports and keeps unknown fields', () => {
    const file = path.join(tempDir(), 'rein.yaml');
    fs.writeFileSync(file, '# my settings\nmodel: { name: qwen3:4b } # the small one\n');
    const result = importMcpServers(CLAUDE_JSON, file, {});
    expect(result.added).toEqual(['filesystem', 'remote-api', 'web']);
    expect(result.notes).toEqual([
      { server: 'remote-api', message: 'renamed from "remote api" (names use letters, digits, "_" and "-")' },
      { server: 'web', message: 'unknown field "autoApprove" kept as a comment, not used' },
      { server: 'web', message: 'unknown field "timeout" kept as a comment, not used' },
    ]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('# my settings');
    expect(text).toContain('# the small one');
    expect(text).toContain('# imported but not used by Rein: autoApprove: ["search"], timeout: 60');
    const config = parseConfig(text, { env: {} });
    expect(config.mcp_servers).toEqual([
      expect.objectContaining({ name: 'filesystem', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { DEBUG: '1' }, enabled: true }),
      expect.objectContaining({ name: 'remote-api', url: 'https://example.com/sse', transport: 'sse', enabled: false, headers: { Authorization: 'Bearer x' } }),
      expect.objectContaining({ name: 'web', url: 'https://example.com/mcp', transport: 'streamable-http' }),
    ]);
    expect(importMcpServers(CLAUDE_JSON, file, {}).added).toEqual([]);
  });

  it('rejects bad input with a clear message and writes nothing', () => {
    const file = path.join(tempDir(), 'rein.yaml');
    expect(() => importMcpServers('{"mcpServers": ', file)).toThrow(McpImportError);
    expect(() => importMcpServers('{"servers": 3}', file)).toThrow('expected a JSON object with "mcpServers"');
    expect(() => importMcpServers('{"mcpServers": {"x": {"args": ["a"]}}}', file)).toThrow(/config invalid.*mcp_servers\[0\]/s);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('works from the CLI with pasted JSON', async () => {
    const dir = tempDir();
    const pasted = await rein(['mcp', 'import', '-'], dir, CLAUDE_JSON);
    expect(pasted.code).toBe(0);
    expect(pasted.stdout).toContain('added filesystem, remote-api, web');
    expect(pasted.stdout).toContain('unknown field "autoApprove"');
    expect(fs.readFileSync(path.join(dir, 'home', 'rein.yaml'), 'utf8')).toContain('name: filesystem');
  });
});

describe('rein mcp list', () => {
  it('shows each server with its status, reason and tools; exit 1 when one failed', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'rein.yaml');
    fs.writeFileSync(file, `mcp_servers:\n${stdioServer('fx', FIXTURE)}  - name: missing\n    command: rein-no-such-server\n`);
    const result = await rein(['mcp', 'list', '--config', file], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^fx {2}ready {2}stdio {2}10 tools$/m);
    expect(result.stdout).toContain('fx__dot_name_2 [write]');
    expect(result.stdout).toContain('(server name: dot.name)');
    expect(result.stdout).toMatch(/^missing {2}failed/m);
    expect(result.stdout).toContain('cannot start `rein-no-such-server`');
  });
});

function rein(args: string[], dir: string, stdin = ''): Promise<CliResult> {
  return runRein(args, { cwd: dir, env: { REIN_HOME: path.join(dir, 'home') }, stdin });
}
