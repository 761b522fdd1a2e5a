// server-filesystem on a temp dir and server-memory: real npm servers, used through the guarded path.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../support/fixtures.ts';
import { FILESYSTEM, MEMORY, startMcp, stdioServer, type McpHarness } from './helpers.ts';

describe('server-filesystem and server-memory', () => {
  const dir = tempDir('rein-mcp-fs-');
  let h: McpHarness;
  beforeAll(async () => {
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'first line\n');
    h = await startMcp(
      `mcp_servers:\n${stdioServer('fs', FILESYSTEM, [dir])}${stdioServer('memory', MEMORY, [], `    env: { MEMORY_FILE_PATH: ${JSON.stringify(path.join(dir, 'memory.jsonl'))} }\n`)}`,
    );
  });
  afterAll(() => h.close());

  it('reads and writes files in the allowed directory, and refuses outside it', async () => {
    expect((await h.call('fs__read_text_file', { path: path.join(dir, 'notes.txt') })).output).toContain('first line');
    expect((await h.call('fs__write_file', { path: path.join(dir, 'new.txt'), content: 'written by rein' })).ok).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'new.txt'), 'utf8')).toBe('written by rein');
    expect(h.runtime.registry.get('fs__write_file')!.capability).toBe('write');
    const outside = await h.call('fs__read_text_file', { path: '/etc/hostname' });
    expect(outside.ok).toBe(false);
    expect(outside.error).toMatch(/outside|denied|not allowed/i);
  });

  it('stores and reads knowledge-graph entities', async () => {
    const created = await h.call('memory__create_entities', { entities: [{ name: 'Rein', entityType: 'project', observations: ['speaks MCP'] }] });
    expect(created.ok).toBe(true);
    const graph = await h.call('memory__read_graph');
    expect(graph.output).toContain('speaks MCP');
  });
});
