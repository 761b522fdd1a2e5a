// A server flooding progress notifications: only the first MAX_PROGRESS_PER_CALL become (stored) tool.progress
// events, plus one note that the rest were dropped; the call itself still completes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROGRESS_PER_CALL } from '../../../src/runtime/mcp/progress.ts';
import { eventsOf, FIXTURE, startMcp, stdioServer, type McpHarness } from './helpers.ts';

describe('MCP progress flood', () => {
  let h: McpHarness;
  beforeAll(async () => {
    h = await startMcp(['runtime: { tool_timeout_s: 60 }', 'mcp_servers:', stdioServer('fx', FIXTURE, ['tools'])].join('\n'));
  }, 60_000);
  afterAll(() => h.close());

  it(`keeps at most ${MAX_PROGRESS_PER_CALL} progress events per call`, async () => {
    const result = await h.call('fx__spam_progress', { count: 2000 });
    expect(result).toMatchObject({ ok: true, output: 'sent 2000' });
    const progress = eventsOf(result.events, 'tool.progress');
    expect(progress).toHaveLength(MAX_PROGRESS_PER_CALL + 1);
    expect(progress.at(-1)!.message).toContain(`at most ${MAX_PROGRESS_PER_CALL} per call`);
  }, 60_000);
});
