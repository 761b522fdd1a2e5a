// What `auth:` of one HTTP server turns into: the fetch its transport uses and the sign-in state to show.
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { McpAuthConfig } from '../../config/index.ts';
import type { Keychain } from '../../keychain/index.ts';
import type { Authorizer } from './authorizer.ts';
import { AuthEndpoints, DEFAULT_AUTH_EGRESS, type AuthEgress } from './endpoints.ts';
import { oauthFetch } from './fetch.ts';
import { mtlsFetch, type MtlsFetch } from './mtls.ts';
import { ReinOAuthProvider, type AuthStatus } from './provider.ts';
import { AuthStore } from './store.ts';

export interface ServerAuthOptions {
  server: string;
  url: string;
  auth: McpAuthConfig;
  baseDir: string;
  keychain: Keychain;
  authorizer: Authorizer;
  /** The egress rules sign-in requests follow (default: offline, no extra hosts). */
  egress?: AuthEgress;
}

export class ServerAuth {
  private readonly options: ServerAuthOptions;
  private readonly provider: ReinOAuthProvider | undefined;
  private readonly endpoints: AuthEndpoints;
  private mtls: MtlsFetch | undefined;

  constructor(options: ServerAuthOptions) {
    this.options = options;
    const { auth } = options;
    this.endpoints = new AuthEndpoints(options.server, options.url, options.egress ?? DEFAULT_AUTH_EGRESS);
    if (auth.type !== 'mtls') {
      const store = new AuthStore(options.server, options.url, options.keychain);
      this.provider = new ReinOAuthProvider(options.server, auth, store, options.authorizer, this.endpoints);
    }
  }

  /** A fresh fetch for a connection attempt (throws a clear error when a certificate or key cannot be read). */
  fetch(): FetchLike {
    const { auth, server, baseDir, keychain, url } = this.options;
    if (auth.type === 'mtls') {
      void this.mtls?.close().catch(() => undefined);
      this.mtls = mtlsFetch(server, auth, baseDir, keychain);
      return this.mtls.fetch;
    }
    return oauthFetch(server, url, this.provider!, globalThis.fetch, this.endpoints);
  }

  status(): AuthStatus {
    const { auth } = this.options;
    if (auth.type === 'mtls') return { kind: 'mtls', signedIn: true };
    return this.provider!.status();
  }

  async close(): Promise<void> {
    await this.mtls?.close().catch(() => undefined);
    this.mtls = undefined;
  }
}
