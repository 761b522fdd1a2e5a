// Server-sent events of a chat completion stream, parsed by eventsource-parser. Only whole lines are fed to it, so an
// `error: {…}` line (llama.cpp builds of 2025 report failures that way, at HTTP 200 — not a field SSE knows) reaches
// us intact instead of being dropped; `: ping` keep-alive comments are skipped; a `[DONE]` without its blank line
// still counts (the parser is flushed at the end).
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type SseItem = { kind: 'data'; data: string } | { kind: 'error'; text: string } | { kind: 'done' };

export async function* readSse(body: ReadableStream<Uint8Array>): AsyncIterable<SseItem> {
  const queue: SseItem[] = [];
  const parser = createParser({
    onEvent: (event: EventSourceMessage) => {
      const data = event.data.trim();
      if (event.event === 'error') queue.push({ kind: 'error', text: data });
      else if (data === '[DONE]') queue.push({ kind: 'done' });
      else if (data) queue.push({ kind: 'data', data });
    },
    onError: (error) => {
      if (error.type === 'unknown-field' && error.field === 'error') queue.push({ kind: 'error', text: error.value ?? '' });
    },
  });
  const decoder = new TextDecoder();
  let pending = '';
  const feed = (text: string, last: boolean) => {
    pending += text;
    const end = last ? pending.length : Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r')) + 1;
    if (end <= 0) return;
    parser.feed(pending.slice(0, end));
    pending = pending.slice(end);
  };
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      feed(decoder.decode(value, { stream: true }), false);
      while (queue.length) yield queue.shift()!;
    }
    // The end of the body ends the last line and the last event, blank line or not.
    feed(`${decoder.decode()}\n\n`, true);
    while (queue.length) yield queue.shift()!;
  } finally {
    // Leaving early (an abort, a consumer that stopped) closes the connection.
    await reader.cancel().catch(() => undefined);
  }
}
