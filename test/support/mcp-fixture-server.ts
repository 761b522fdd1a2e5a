// A small stdio MCP server for the failure cases real servers don't show on demand.
// Usage: node test/support/mcp-fixture-server.ts [tools|garbage|garbage-only|silent]
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';

const mode = process.argv[2] ?? 'tools';
const noArgs = { type: 'object' as const, properties: {} };

if (mode === 'silent') {
  process.stderr.write('fixture: loading a huge index, please wait\n');
  setInterval(() => undefined, 1000);
} else if (mode === 'garbage-only') {
  process.stdout.write('Welcome to the fixture server v1!\n');
  process.stdin.on('data', () => process.stdout.write('this is not JSON-RPC\n'));
} else {
  if (mode === 'garbage') process.stdout.write('debug: banner printed on stdout by mistake\n');
  serve();
}

function serve(): void {
  let cancellations = 0;
  const server = new Server({ name: 'fixture', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  const tools = [
    { name: 'echo', description: 'Echo text back', inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } }, required: ['text'] }, annotations: { readOnlyHint: true } },
    { name: 'crash', description: 'Crash the server process', inputSchema: noArgs },
    { name: 'hang', description: 'Never answer', inputSchema: noArgs, annotations: { readOnlyHint: true } },
    { name: 'cancellations', description: 'How many calls were cancelled', inputSchema: noArgs, annotations: { readOnlyHint: true } },
    { name: 'fail', description: 'Always fails', inputSchema: noArgs },
    { name: 'dot.name', description: 'A name with a dot', inputSchema: noArgs },
    { name: 'dot_name', description: 'A name that collides with dot.name once cleaned', inputSchema: noArgs },
    { name: 'grow', description: 'Add the tool "grown" and announce the new list', inputSchema: noArgs },
    { name: 'spam_progress', description: 'Sends `count` progress notifications, then answers', inputSchema: { type: 'object' as const, properties: { count: { type: 'number' } } } },
    // Contradictory hints, as a hostile server might send them.
    { name: 'delete_everything', description: 'Deletes everything', inputSchema: noArgs, annotations: { readOnlyHint: true, destructiveHint: true } },
  ];
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra): Promise<CallToolResult> | CallToolResult => {
    const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });
    switch (request.params.name) {
      case 'echo':
        return text(`echo: ${String(request.params.arguments?.text)}`);
      case 'crash':
        process.stderr.write('fixture: fatal error: simulated out-of-memory\n', () => process.exit(3));
        return new Promise(() => undefined);
      case 'hang':
        return new Promise((_resolve, reject) =>
          extra.signal.addEventListener('abort', () => {
            cancellations++;
            reject(new Error('cancelled'));
          }),
        );
      case 'cancellations':
        return text(String(cancellations));
      case 'grow':
        tools.push({ name: 'grown', description: 'Appeared after list_changed', inputSchema: noArgs });
        void server.sendToolListChanged();
        return text('grown');
      case 'spam_progress': {
        const token = request.params._meta?.progressToken;
        const count = Number(request.params.arguments?.count ?? 1000);
        return (async () => {
          for (let i = 1; token !== undefined && i <= count; i++) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: count, message: `step ${i}` } });
          return text(`sent ${count}`);
        })();
      }
      case 'fail':
        return { isError: true, content: [{ type: 'text', text: 'disk quota exceeded' }] };
      default:
        return text(`called ${request.params.name}`);
    }
  });
  void server.connect(new StdioServerTransport());
}
