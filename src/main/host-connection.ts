// The shell's one connection to its host: the API contract over the host's WebSocket (the token never leaves
// main). Calls made while the host is away wait for the next connection (bounded); calls in flight when it drops fail.
import { WebSocket } from 'ws';
import type { ApiEvent, ApiMethod, ApiResult } from '../common/index.ts';
import type { HostInfo } from '../host/discovery.ts';

const PROTOCOL = 'rein.v1';
const TOKEN_PREFIX = 'bearer.';
const WAIT_FOR_HOST_MS = 30_000;

const failure = (message: string): ApiResult => ({ ok: false, error: { code: 'failed', message } });

export class HostConnection {
  private socket: WebSocket | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, (result: ApiResult) => void>();
  private readonly waiting = new Set<() => void>();
  private readonly eventListeners = new Set<(event: ApiEvent) => void>();
  private readonly closeListeners = new Set<(reason: string) => void>();
  private closed = false;

  /** Opens the WebSocket to `host` (replacing any earlier one); resolves once it is open. */
  connect(host: HostInfo): Promise<void> {
    this.drop();
    return new Promise((resolve, reject) => {
      // The host's local socket on Unix (0600, no TCP port involved), loopback TCP on Windows (as src/host/client.ts).
      const url = host.socket && process.platform !== 'win32' ? `ws+unix://${host.socket}:/api/ws` : `${host.url.replace(/^http/, 'ws')}/api/ws`;
      const ws = new WebSocket(url, [PROTOCOL, `${TOKEN_PREFIX}${host.token}`], { handshakeTimeout: 10_000 });
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.socket = ws;
        this.waiting.forEach((wake) => { wake(); });
        this.waiting.clear();
        resolve();
      });
      ws.on('message', (data) => { this.receive(String(data)); });
      ws.on('error', (error) => {
        if (!opened) reject(new Error(`cannot connect to the Rein host at ${url}: ${error.message}`));
      });
      ws.on('close', (code, reason) => {
        if (!opened) return reject(new Error(`the Rein host at ${url} refused the connection (${code})`));
        if (this.socket !== ws) return;
        this.socket = undefined;
        this.failPending('the connection to the Rein host was lost');
        const why = `connection closed (${code}${reason.length ? ` ${reason.toString()}` : ''})`;
        this.closeListeners.forEach((listener) => { listener(why); });
      });
    });
  }

  get connected(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  async invoke(method: ApiMethod, args: unknown): Promise<ApiResult> {
    const socket = this.socket ?? (await this.waitForSocket());
    if (!socket) return failure('Rein\'s runtime is not running (it is being restarted); try again in a moment');
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, args }), (error) => {
        if (!error) return;
        this.pending.delete(id);
        resolve(failure(`could not reach the Rein host: ${error.message}`));
      });
    });
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Called when an open connection drops (the host died, or closed it). */
  onClose(listener: (reason: string) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.closed = true;
    this.drop();
    this.waiting.forEach((wake) => { wake(); });
    this.waiting.clear();
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners('close');
      socket.on('error', () => undefined);
      socket.terminate();
    }
    this.failPending('the connection to the Rein host was replaced');
  }

  private failPending(message: string): void {
    this.pending.forEach((settle) => { settle(failure(message)); });
    this.pending.clear();
  }

  private waitForSocket(): Promise<WebSocket | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve(this.socket);
      };
      const timer = setTimeout(() => {
        this.waiting.delete(wake);
        resolve(undefined);
      }, WAIT_FOR_HOST_MS);
      this.waiting.add(wake);
    });
  }

  private receive(text: string): void {
    let message: { id?: number; result?: ApiResult; event?: ApiEvent };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    if (message.event) this.eventListeners.forEach((listener) => { listener(message.event!); });
    if (typeof message.id === 'number' && message.result) {
      this.pending.get(message.id)?.(message.result);
      this.pending.delete(message.id);
    }
  }
}
