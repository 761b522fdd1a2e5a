// Offline mode: while a runtime is open, the process may connect only to allowed endpoints (the model host,
// configured MCP URLs, policy.allow_hosts). Enforced at the socket layer (every TCP/TLS connection in Node goes
// through net.Socket.prototype.connect) and at fetch for a clear error. Unix sockets and pipes are local and allowed.
import net from 'node:net';
import { ReinError } from '../base/index.ts';

export class EgressBlockedError extends ReinError {
  readonly target: string;
  constructor(target: string) {
    super(`offline mode blocked a connection to ${target}: only the model host, configured MCP servers and policy.allow_hosts are reachable (policy.offline)`);
    this.target = target;
  }
}

export interface Endpoint {
  host: string;
  /** Undefined: any port. */
  port?: number;
}

interface ActiveGuard {
  allowed: readonly Endpoint[];
  onBlocked: (target: string) => void;
}

const active = new Set<ActiveGuard>();
let original: { fetch: typeof fetch; connect: typeof net.Socket.prototype.connect } | undefined;

/** Starts guarding; the returned function stops (the originals come back when the last guard stops). */
export function installEgressGuard(allowed: readonly Endpoint[], onBlocked: (target: string) => void): () => void {
  const guard: ActiveGuard = { allowed, onBlocked };
  active.add(guard);
  if (!original) patch();
  return () => {
    active.delete(guard);
    if (active.size === 0) unpatch();
  };
}

/**
 * Lets `operation` also reach `endpoints` while it runs, when offline mode guards the process: a download the user
 * started (a model for the embedded engine). Without a guard nothing is restricted and nothing changes.
 */
export async function allowDuring<T>(endpoints: readonly string[], operation: () => Promise<T>): Promise<T> {
  if (active.size === 0) return operation();
  const release = installEgressGuard(endpoints.map(parseEndpoint), () => undefined);
  try {
    return await operation();
  } finally {
    release();
  }
}

/** Parses `host`, `host:port`, `[::1]:port` or a URL. */
export function parseEndpoint(text: string): Endpoint {
  if (text.includes('://')) {
    const url = new URL(text);
    return { host: normalizeHost(url.hostname), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
  }
  const match = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(text.trim());
  const host = match?.[1] ?? text;
  if (!match?.[2] || (host.includes(':') && !text.startsWith('['))) return { host: normalizeHost(text.trim()) };
  return { host: normalizeHost(host), port: Number(match[2]) };
}

function patch(): void {
  const saved = { fetch: globalThis.fetch, connect: net.Socket.prototype.connect };
  original = saved;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const endpoint = parseEndpoint(url.href);
    if (!isAllowed(endpoint)) return Promise.reject(blocked(endpoint));
    return saved.fetch(input, init);
  };
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const endpoint = connectTarget(args);
    if (endpoint && !isAllowed(endpoint)) {
      const error = blocked(endpoint);
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return (saved.connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof net.Socket.prototype.connect;
}

function unpatch(): void {
  if (!original) return;
  globalThis.fetch = original.fetch;
  net.Socket.prototype.connect = original.connect;
  original = undefined;
}

function blocked(endpoint: Endpoint): EgressBlockedError {
  const target = `${endpoint.host.includes(':') ? `[${endpoint.host}]` : endpoint.host}${endpoint.port === undefined ? '' : `:${endpoint.port}`}`;
  for (const guard of active) guard.onBlocked(target);
  return new EgressBlockedError(target);
}

/** Allowed by any open runtime; loopback names are interchangeable (localhost, 127.0.0.1, ::1). */
function isAllowed(target: Endpoint): boolean {
  for (const guard of active) {
    for (const endpoint of guard.allowed) {
      const sameHost =
        endpoint.host === target.host ||
        (isLoopback(endpoint.host) && isLoopback(target.host)) ||
        // `*.example.com`: any host below example.com (a download host's CDN).
        (endpoint.host.startsWith('*.') && target.host.endsWith(endpoint.host.slice(1)));
      if (sameHost && (endpoint.port === undefined || endpoint.port === target.port)) return true;
    }
  }
  return false;
}

/** The endpoint of a Socket.connect call; undefined for local (path) connections. */
function connectTarget(args: unknown[]): Endpoint | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first && typeof first === 'object') {
    const options = first as { path?: unknown; host?: unknown; port?: unknown };
    if (options.path) return undefined;
    return { host: normalizeHost(typeof options.host === 'string' ? options.host : 'localhost'), port: Number(options.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: normalizeHost(typeof args[1] === 'string' ? args[1] : 'localhost'), port: Number(first) };
  }
  return undefined;
}

function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
}

/** Addresses of this machine or its private networks (loopback, RFC 1918, link-local incl. cloud metadata, CGNAT, ULA). */
const LOCAL_NETWORKS = (() => {
  const list = new net.BlockList();
  for (const [prefix, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.168.0.0', 16]] as const) list.addSubnet(prefix, bits, 'ipv4');
  for (const [prefix, bits] of [['::1', 128], ['::', 128], ['fc00::', 7], ['fe80::', 10]] as const) list.addSubnet(prefix, bits, 'ipv6');
  return list;
})();

/** True for loopback names and local/private address literals (a name that resolves to one is not detected). */
export function isLocalAddress(host: string): boolean {
  const name = normalizeHost(host);
  if (isLoopback(name) || name.endsWith('.localhost')) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)?.[1];
  const address = mapped ?? name;
  const family = net.isIP(address);
  return family !== 0 && LOCAL_NETWORKS.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Same host and port; loopback names are interchangeable. */
export function sameEndpoint(a: Endpoint, b: Endpoint): boolean {
  return (a.host === b.host || (isLoopback(a.host) && isLoopback(b.host))) && (a.port === undefined || b.port === undefined || a.port === b.port);
}
