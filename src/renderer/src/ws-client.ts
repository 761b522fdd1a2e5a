// The web-mode transport: the API over `rein serve`'s WebSocket. The token comes from the URL fragment
// printed by `rein serve` (#token=…, never sent to the server in a request line) and is kept for this tab.
import type { ApiEvent, ApiMethod, ApiResult, ApiTransport } from '../../common/index.ts';

const TOKEN_KEY = 'rein.token';
const PROTOCOL = 'rein.v1';
const TOKEN_PREFIX = 'bearer.';
const RECONNECT_MS = 1500;

export const NO_TOKEN_MESSAGE = 'Rein needs its access token: open the full URL that `rein serve` printed (it ends with #token=…).';

/** Reads the token from #token=… (then removes it from the address bar), else from this tab's storage. */
export function takeToken(): string | undefined {
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(window.location.hash);
  if (match?.[1]) {
    sessionStorage.setItem(TOKEN_KEY, match[1]);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

const failure = (message: string): ApiResult => ({ ok: false, error: { code: 'failed', message } });

export function createWsTransport(token: string | undefined = takeToken()): ApiTransport {
  // Pasting the printed URL into a tab that is already open only changes the fragment: start over with it.
  window.addEventListener('hashchange', () => {
    if (/(?:^#|&)token=/.test(window.location.hash)) window.location.reload();
  });
  const listeners = new Set<(event: ApiEvent) => void>();
  const pending = new Map<number, (result: ApiResult) => void>();
  let nextId = 1;
  let socket: WebSocket | undefined;
  let opened: Promise<WebSocket> | undefined;

  const connect = (): Promise<WebSocket> => {
    if (!token) return Promise.reject(new Error(NO_TOKEN_MESSAGE));
    opened ??= new Promise<WebSocket>((resolve, reject) => {
      const url = `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/api/ws`;
      const ws = new WebSocket(url, [PROTOCOL, `${TOKEN_PREFIX}${token}`]);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onmessage = (message) => {
        const data = JSON.parse(String(message.data)) as { id?: number; result?: ApiResult; event?: ApiEvent };
        if (data.event) listeners.forEach((listener) => { listener(data.event!); });
        if (data.id !== undefined && data.result) {
          pending.get(data.id)?.(data.result);
          pending.delete(data.id);
        }
      };
      ws.onclose = () => {
        const wasOpen = socket === ws;
        socket = undefined;
        opened = undefined;
        pending.forEach((settle) => { settle(failure('the connection to rein serve was lost')); });
        pending.clear();
        if (!wasOpen) reject(new Error('cannot connect to rein serve (is it running, and is the token current?)'));
        // keep events flowing while someone listens
        if (listeners.size > 0) setTimeout(() => void connect().catch(() => undefined), RECONNECT_MS);
      };
    });
    return opened;
  };

  return {
    async invoke(method: ApiMethod, args: unknown[]): Promise<ApiResult> {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (error) {
        return failure(error instanceof Error ? error.message : String(error));
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, method, args }));
      });
    },
    subscribe(listener) {
      listeners.add(listener);
      void connect().catch(() => undefined);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
