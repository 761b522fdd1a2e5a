import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { ReinMcpHarness } from './server.ts';

/** Serves MCP on stdin/stdout until the client goes away (stdin closes), the way a subagent's life ends. */
export async function serveStdio(harness: ReinMcpHarness, signal?: AbortSignal): Promise<void> {
  const server = harness.createServer();
  const transport = new StdioServerTransport();
  const ended = new Promise<void>((resolve) => {
    process.stdin.once('end', resolve);
    process.stdin.once('close', resolve);
    // The client is gone (EPIPE): stop serving instead of crashing, so the shutdown still cleans up.
    process.stdout.on('error', () => resolve());
    transport.onclose = resolve;
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.connect(transport);
  await ended;
  await server.close().catch(() => undefined);
}
