// One WebSocket client: calls `{id, method, args}` → `{id, result}`, and every pushed event as `{event}`.
// Nothing a client sends can end the process: protocol errors close only this socket, bad messages get an error reply.
import type { WebSocket } from 'ws';
import type { ApiEvent, RuntimeApi } from '../common/index.ts';
import { callApi } from '../runtime/index.ts';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

type Call = { id: number | string; method: unknown; args: unknown };

export function serveSocket(socket: WebSocket, api: RuntimeApi, maxMessageBytes: number): void {
  const reply = (value: unknown) => {
    if (socket.readyState !== socket.OPEN) return;
    try {
      socket.send(JSON.stringify(value));
    } catch {
      socket.send(JSON.stringify({ error: 'the reply could not be encoded as JSON' }));
    }
  };
  const push = (event: ApiEvent) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return void socket.close(1013, 'client too slow to read events');
    reply({ event });
  };
  const unsubscribe = api.onEvent(push);
  socket.on('close', unsubscribe);
  // Invalid UTF-8, unmasked or reserved frames, frames over the hard cap: `ws` closes the socket and emits `error`.
  socket.on('error', () => socket.terminate());
  socket.on('message', (data, isBinary) => {
    if (isBinary) return void socket.close(1003, 'text frames only');
    const size = byteLength(data);
    if (size > maxMessageBytes) return reply({ error: `message too large: ${size} bytes (limit ${maxMessageBytes})` });
    const call = parseCall(String(data));
    if (typeof call === 'string') return reply({ error: call });
    callApi(api, call.method, call.args).then(
      (result) => reply({ id: call.id, result }),
      () => reply({ id: call.id, result: { ok: false, error: { code: 'failed', message: 'internal error' } } }),
    );
  });
}

/** The call, or why the message is not one. */
function parseCall(text: string): Call | string {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return 'messages must be JSON: {"id", "method", "args"}';
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'a message must be a JSON object: {"id", "method", "args"}';
  const { id, method, args } = message as Record<string, unknown>;
  if (typeof id !== 'number' && typeof id !== 'string') return 'a call needs an "id" (number or string)';
  return { id, method, args: args ?? [] };
}

function byteLength(data: WebSocket.RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, part) => sum + part.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}
