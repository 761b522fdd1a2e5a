// Rein's OAuthClientProvider for the SDK's auth(): client metadata (CIMD URL, dynamic registration or a
// pre-registered client), PKCE verifier and state in memory, tokens and registration in the keychain.
// The authorization step is delegated to an Authorizer, whose redirect is checked (state, error) here.
import { randomBytes } from 'node:crypto';
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { McpOAuthConfig } from '../../config/index.ts';
import type { OAuthDiscoveryState } from '@modelcontextprotocol/sdk/client/auth.js';
import { escapeLine } from '../../../common/index.ts';
import type { Authorizer } from './authorizer.ts';
import type { AuthEndpoints } from './endpoints.ts';
import { McpAuthError } from './errors.ts';
import type { AuthStore } from './store.ts';

/** Sign-in state as the API shows it. */
export interface AuthStatus {
  kind: 'oauth' | 'mtls';
  signedIn: boolean;
  /** Who signed in (OIDC `sub`/`email` of the ID token), when known. */
  subject?: string;
  /** When the access token expires (ISO time), when the server said. */
  expiresAt?: string;
}

export class ReinOAuthProvider implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  private verifier: string | undefined;
  private expectedState: string | undefined;
  private code: string | undefined;
  private hideRefresh = false;

  private readonly server: string;
  private readonly config: McpOAuthConfig;
  private readonly store: AuthStore;
  private readonly authorizer: Authorizer;
  private readonly endpoints: AuthEndpoints;

  constructor(server: string, config: McpOAuthConfig, store: AuthStore, authorizer: Authorizer, endpoints: AuthEndpoints) {
    this.server = server;
    this.config = config;
    this.store = store;
    this.authorizer = authorizer;
    this.endpoints = endpoints;
    this.clientMetadataUrl = config.client_metadata_url;
  }

  get redirectUrl(): string {
    return `http://127.0.0.1:${this.config.redirect_port}/callback`;
  }

  get clientMetadata(): OAuthClientMetadata {
    return {
      client_name: 'Rein',
      redirect_uris: [this.redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: this.config.client_secret ? 'client_secret_basic' : 'none',
      ...(this.config.scopes?.length ? { scope: this.config.scopes.join(' ') } : {}),
    };
  }

  state(): string {
    this.expectedState = randomBytes(16).toString('base64url');
    return this.expectedState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    if (this.config.client_id) {
      const stamped = this.store.read().client;
      const issuer = stamped?.client_id === this.config.client_id ? (stamped as { issuer?: string }).issuer : undefined;
      return { client_id: this.config.client_id, ...(this.config.client_secret ? { client_secret: this.config.client_secret } : {}), ...(issuer ? { issuer } : {}) } as OAuthClientInformationMixed;
    }
    return this.store.read().client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    // A pre-registered secret comes from rein.yaml (${env:}); only its binding to the issuer is kept.
    const kept = this.config.client_id ? ({ client_id: client.client_id, issuer: (client as { issuer?: string }).issuer } as OAuthClientInformationMixed) : client;
    this.store.update((stored) => ({ ...stored, client: kept }));
  }

  tokens(): OAuthTokens | undefined {
    const tokens = this.store.read().tokens;
    if (!tokens || !this.hideRefresh) return tokens;
    const { refresh_token: _refresh, ...access } = tokens;
    return access;
  }

  /** Runs a sign-in that must not be answered by a refresh (a step-up: a refresh cannot widen the scope). */
  async withoutRefresh<T>(run: () => Promise<T>): Promise<T> {
    this.hideRefresh = true;
    try {
      return await run();
    } finally {
      this.hideRefresh = false;
    }
  }

  saveTokens(tokens: OAuthTokens): void {
    this.store.update((stored) => ({
      ...stored,
      // A refresh that returns no new refresh token keeps the old one.
      tokens: { ...tokens, ...(!tokens.refresh_token && stored.tokens?.refresh_token ? { refresh_token: stored.tokens.refresh_token } : {}) },
      savedAt: Date.now(),
    }));
  }

  /** Called by the SDK after discovery, before any registration or token request: the metadata is checked here. */
  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.endpoints.checkMetadata(state.authorizationServerUrl, state.authorizationServerMetadata);
  }

  /** Runs the authorizer and keeps the code for the exchange that follows (see `takeCode`). */
  async redirectToAuthorization(url: URL): Promise<void> {
    this.endpoints.checkScheme(url, 'the authorization URL'); // never hand file:, smb: … to the system browser opener
    const redirect = await this.authorizer.authorize({ server: this.server, url, redirectUri: this.redirectUrl });
    const error = redirect.searchParams.get('error');
    if (error) {
      // The authorization server's words reach terminals and the UI: control characters made visible, length capped.
      const description = redirect.searchParams.get('error_description');
      const said = (text: string) => escapeLine(text.slice(0, 500));
      throw new McpAuthError(`${error === 'access_denied' ? 'consent denied' : `authorization refused (${said(error)})`}${description ? `: ${said(description)}` : ''}`);
    }
    if (this.expectedState !== undefined && redirect.searchParams.get('state') !== this.expectedState) {
      throw new McpAuthError('the sign-in redirect carried a different `state` than Rein sent (possible forged redirect); try again');
    }
    const code = redirect.searchParams.get('code');
    if (!code) throw new McpAuthError('the sign-in redirect carried no authorization code');
    this.code = code;
  }

  /** The code from the last authorization, once. */
  takeCode(): string | undefined {
    const code = this.code;
    this.code = undefined;
    return code;
  }

  saveCodeVerifier(verifier: string): void {
    this.verifier = verifier;
  }

  codeVerifier(): string {
    if (!this.verifier) throw new McpAuthError('no PKCE verifier: the sign-in was not started by this process');
    return this.verifier;
  }

  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery'): void {
    if (scope === 'verifier' || scope === 'discovery') return;
    this.store.update((stored) => ({
      ...(scope === 'client' ? { tokens: stored.tokens, savedAt: stored.savedAt } : {}),
      ...(scope === 'tokens' ? { client: stored.client } : {}),
    }));
  }

  /** True when the stored access token is past its expiry (with a minute's margin). */
  expired(): boolean {
    const { tokens, savedAt } = this.store.read();
    if (!tokens?.expires_in || !savedAt) return false;
    return Date.now() > savedAt + tokens.expires_in * 1000 - 60_000;
  }

  hasRefreshToken(): boolean {
    return !!this.store.read().tokens?.refresh_token;
  }

  status(): AuthStatus {
    const { tokens, savedAt } = this.store.read();
    const expiresAt = tokens?.expires_in && savedAt ? new Date(savedAt + tokens.expires_in * 1000).toISOString() : undefined;
    const subject = subjectOf(tokens?.id_token);
    const usable = !!tokens && (!this.expired() || !!tokens.refresh_token);
    return { kind: 'oauth', signedIn: usable, ...(subject ? { subject } : {}), ...(expiresAt ? { expiresAt } : {}) };
  }
}

/** `email` or `sub` of an OIDC ID token (payload only; the token came straight from the token endpoint). */
function subjectOf(idToken: string | undefined): string | undefined {
  const payload = idToken?.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { email?: unknown; sub?: unknown };
    const subject = claims.email ?? claims.sub;
    return typeof subject === 'string' ? subject : undefined;
  } catch {
    return undefined;
  }
}
