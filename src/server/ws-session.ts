// One WebSocket client: calls `{id, method, args}` → `{id, result}`, and every pushed event as `{event}`.
import type { WebSocket } from 'ws';
import type { ApiEvent, RuntimeApi } from '../common/index.ts';
import { callApi } from '../runtime/index.ts';

const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export function serveSocket(socket: WebSocket, api: RuntimeApi): void {
  const push = (event: ApiEvent) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return void socket.close(1013, 'client too slow to read events');
    socket.send(JSON.stringify({ event }));
  };
  const unsubscribe = api.onEvent(push);
  socket.on('close', unsubscribe);
  socket.on('message', (data, isBinary) => {
    if (isBinary) return void socket.close(1003, 'text frames only');
    let message: { id?: unknown; method?: unknown; args?: unknown };
    try {
      message = JSON.parse(String(data)) as typeof message;
    } catch {
      return void socket.send(JSON.stringify({ error: 'messages must be JSON: {"id", "method", "args"}' }));
    }
    const { id } = message;
    if (typeof message !== 'object' || message === null || (typeof id !== 'number' && typeof id !== 'string')) {
      return void socket.send(JSON.stringify({ error: 'a call needs an "id" (number or string)' }));
    }
    void callApi(api, message.method, message.args ?? []).then((result) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ id, result }));
    });
  });
}
