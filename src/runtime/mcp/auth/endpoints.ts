// What a server's sign-in metadata may point Rein at. Metadata is written by the server (or whoever answers for
// it), so every URL in it is checked before use: the browser is only handed https: (or, for a server on this
// machine, loopback http:) authorization URLs — never file:, smb: or anything else a system opener would act on;
// discovery, registration and token requests obey the same egress rules as everything else (policy.offline,
// policy.allow_hosts), with no free pass for the model host or anything else on this machine or its local network;
// the authorization server's `issuer` must be the URL its metadata was fetched for (RFC 8414 §3.3).
import type { OAuthMetadata } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { isLocalAddress, parseEndpoint, sameEndpoint } from '../../policy/index.ts';
import { McpAuthError } from './errors.ts';

/** The egress rules a sign-in follows (from `policy`). */
export interface AuthEgress {
  offline: boolean;
  allowHosts: readonly string[];
}

export const DEFAULT_AUTH_EGRESS: AuthEgress = { offline: true, allowHosts: [] };

export class AuthEndpoints {
  private readonly server: string;
  private readonly serverUrl: URL;
  private readonly egress: AuthEgress;

  constructor(server: string, serverUrl: string, egress: AuthEgress) {
    this.server = server;
    this.serverUrl = new URL(serverUrl);
    this.egress = egress;
  }

  /** A URL for the browser: https:, or loopback http: when the MCP server itself is on this machine. */
  checkScheme(url: URL, what: string): void {
    if (url.protocol === 'https:') return;
    const development = this.serverUrl.protocol === 'http:' && isLocalAddress(this.serverUrl.hostname);
    if (url.protocol === 'http:' && development && isLocalAddress(url.hostname)) return;
    throw new McpAuthError(
      `the sign-in metadata of "${this.server}" gives ${what} ${JSON.stringify(url.href.slice(0, 200))}: only https: URLs are accepted (http: only on loopback, for a server on this machine); ask the server's operator to fix its metadata`,
    );
  }

  /** A URL Rein itself requests during the sign-in: scheme as above, and a destination the egress rules allow. */
  checkRequest(url: URL, what: string): void {
    this.checkScheme(url, what);
    const target = parseEndpoint(url.href);
    if (sameEndpoint(target, parseEndpoint(this.serverUrl.href))) return;
    if (this.egress.allowHosts.some((allowed) => sameEndpoint(target, parseEndpoint(allowed)))) return;
    const where = `${url.hostname}${url.port ? `:${url.port}` : ''}`;
    if (this.egress.offline) {
      throw new McpAuthError(
        `offline mode blocked the sign-in of "${this.server}" from reaching ${where} (${what}): a sign-in may reach only the server's own host and policy.allow_hosts; add "${where}" to policy.allow_hosts if you trust it`,
      );
    }
    if (isLocalAddress(url.hostname)) {
      throw new McpAuthError(
        `the sign-in of "${this.server}" refused ${what} ${url.origin}: it is on this machine or its local network but is not the server's own host; add "${where}" to policy.allow_hosts if you trust it`,
      );
    }
  }

  /** A fetch for discovery, registration and token requests: checked destinations, redirects not followed. */
  fetch(base: FetchLike): FetchLike {
    return (input, init) => {
      const url = new URL(typeof input === 'string' ? input : input.href);
      this.checkRequest(url, describe(url));
      return base(input, { ...init, redirect: 'manual' });
    };
  }

  /** The authorization server's metadata, before anything is registered or sent: issuer and endpoints. */
  checkMetadata(authorizationServerUrl: string, metadata: OAuthMetadata | undefined): void {
    const asUrl = new URL(authorizationServerUrl);
    this.checkRequest(asUrl, 'authorization server');
    if (!metadata) return;
    if (!sameIssuer(metadata.issuer, authorizationServerUrl)) {
      throw new McpAuthError(
        `the authorization server metadata of "${this.server}" names issuer ${JSON.stringify(String(metadata.issuer).slice(0, 200))}, but it was fetched for ${authorizationServerUrl}: refusing it (RFC 8414 requires them to match)`,
      );
    }
    this.checkScheme(this.parse(metadata.authorization_endpoint, 'authorization_endpoint'), 'authorization_endpoint');
    this.checkRequest(this.parse(metadata.token_endpoint, 'token_endpoint'), 'token_endpoint');
    if (metadata.registration_endpoint) this.checkRequest(this.parse(metadata.registration_endpoint, 'registration_endpoint'), 'registration_endpoint');
  }

  private parse(text: string, what: string): URL {
    try {
      return new URL(text);
    } catch {
      throw new McpAuthError(`the sign-in metadata of "${this.server}" gives ${what} ${JSON.stringify(String(text).slice(0, 200))}, which is not a URL`);
    }
  }
}

/**
 * RFC 8414 §3.3: the issuer is the URL the metadata was fetched for. One exception, for servers of the 2025-03-26
 * revision (no protected-resource metadata): the authorization server is then only known as the MCP server's origin,
 * and an issuer with a path on that same origin is accepted — the origin is what a mix-up attack would change.
 */
function sameIssuer(issuer: unknown, url: string): boolean {
  if (typeof issuer !== 'string') return false;
  const trim = (text: string) => text.replace(/\/+$/, '');
  if (trim(issuer) === trim(url) || trim(issuer) === trim(new URL(url).href)) return true;
  try {
    const fetched = new URL(url);
    return fetched.pathname === '/' && new URL(issuer).origin === fetched.origin;
  } catch {
    return false;
  }
}

function describe(url: URL): string {
  return url.pathname.includes('/.well-known/') ? 'metadata URL' : 'endpoint';
}
