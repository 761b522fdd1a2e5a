// A dependency-free stdio MCP server (plain Node, so it also runs inside the subagent image): `tcp` tries one TCP
// connection and says what happened. Mounted into a container subagent to prove it has no network.
import net from 'node:net';
import readline from 'node:readline';

const tools = [
  {
    name: 'tcp',
    description: 'Open a TCP connection and report whether it worked',
    inputSchema: { type: 'object', properties: { host: { type: 'string' }, port: { type: 'number' } }, required: ['host', 'port'] },
    annotations: { readOnlyHint: true },
  },
];

const send = (message) => process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);

function probe(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(`connected to ${host}:${port}`);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`failed to connect to ${host}:${port}: timed out`);
    });
    socket.once('error', (error) => resolve(`failed to connect to ${host}:${port}: ${error.code ?? error.message}`));
  });
}

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  const request = JSON.parse(line);
  if (request.id === undefined) return; // a notification
  if (request.method === 'initialize') {
    return send({ id: request.id, result: { protocolVersion: request.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'net-probe', version: '1.0.0' } } });
  }
  if (request.method === 'tools/list') return send({ id: request.id, result: { tools } });
  if (request.method === 'tools/call' && request.params.name === 'tcp') {
    const { host, port } = request.params.arguments;
    return send({ id: request.id, result: { content: [{ type: 'text', text: await probe(host, port) }] } });
  }
  send({ id: request.id, error: { code: -32601, message: `unknown method ${request.method}` } });
});
