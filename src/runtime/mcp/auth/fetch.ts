// The fetch an OAuth-protected MCP server is reached through: adds the bearer token, signs in on 401
// (discovery, registration, authorization, code exchange — the SDK's auth()), refreshes an expired token
// first, and steps up on 403 insufficient_scope at most MAX_STEP_UPS times per request.
import { auth, extractWWWAuthenticateParams, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import { InvalidGrantError, OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { errorMessage, ReinError } from '../../base/index.ts';
import { McpAuthError, SignInNeededError } from './errors.ts';
import type { AuthEndpoints } from './endpoints.ts';
import type { ReinOAuthProvider } from './provider.ts';

export const MAX_STEP_UPS = 2;

interface Challenge {
  resourceMetadataUrl?: URL;
  scope?: string;
  stepUp?: boolean;
}

export function oauthFetch(server: string, serverUrl: string, provider: ReinOAuthProvider, base: FetchLike, endpoints: AuthEndpoints): FetchLike {
  const signInFetch = endpoints.fetch(base);
  let scope: string | undefined;
  let signIn: Promise<void> | undefined;

  /** One sign-in at a time: concurrent requests that hit 401 share it. */
  const authorize = (challenge: Challenge): Promise<void> => {
    signIn ??= signInOnce(challenge).finally(() => (signIn = undefined));
    return signIn;
  };

  const signInOnce = async (challenge: Challenge): Promise<void> => {
    if (challenge.scope) scope = challenge.scope;
    const hadRefresh = provider.hasRefreshToken();
    const options = { serverUrl, scope, fetchFn: signInFetch, ...(challenge.resourceMetadataUrl ? { resourceMetadataUrl: challenge.resourceMetadataUrl } : {}) };
    try {
      let result = await auth(provider, options);
      if (result === 'REDIRECT') {
        const code = provider.takeCode();
        if (!code) throw new McpAuthError('the sign-in did not return an authorization code');
        result = await auth(provider, { ...options, authorizationCode: code });
      }
      if (result !== 'AUTHORIZED') throw new McpAuthError(`sign-in ended with ${result}`);
    } catch (error) {
      if (challenge.stepUp && error instanceof SignInNeededError) {
        throw new McpAuthError(`the server wants more access (scope "${scope ?? '?'}"): ${error.message}`);
      }
      throw explainAuthFailure(error, server, hadRefresh);
    }
  };

  const send = async (input: string | URL, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    const tokens = provider.tokens();
    if (tokens) headers.set('Authorization', `Bearer ${tokens.access_token}`);
    return base(input, { ...init, headers });
  };

  return async (input, init) => {
    if (provider.expired() && provider.hasRefreshToken()) await authorize({}).catch(() => undefined);
    let response = await send(input, init);
    let signedIn = false;
    let stepUps = 0;
    for (;;) {
      if (response.status === 401 && !signedIn) {
        signedIn = true;
        const challenge = extractWWWAuthenticateParams(response);
        await response.body?.cancel();
        await authorize(challenge);
      } else if (response.status === 403 && extractWWWAuthenticateParams(response).error === 'insufficient_scope') {
        const challenge = extractWWWAuthenticateParams(response);
        await response.body?.cancel();
        if (stepUps >= MAX_STEP_UPS) {
          throw new McpAuthError(`the server still wants scope "${challenge.scope ?? '?'}" after ${MAX_STEP_UPS} step-up sign-ins; not asking again`);
        }
        stepUps++;
        await provider.withoutRefresh(() => authorize({ ...challenge, stepUp: true }));
      } else {
        break;
      }
      response = await send(input, init);
    }
    if (response.status === 401) {
      await response.body?.cancel();
      throw new McpAuthError(`the server rejected the token it just issued (HTTP 401 after sign-in); try \`rein mcp logout ${server}\` then \`rein mcp login ${server}\``);
    }
    return response;
  };
}

/** Names the phase that failed: metadata, registration, consent, refresh — else the SDK's own words. */
function explainAuthFailure(error: unknown, server: string, hadRefresh: boolean): Error {
  if (error instanceof SignInNeededError && hadRefresh) return new McpAuthError(`token expired and refresh failed; ${error.message}`);
  if (error instanceof ReinError) return error;
  const message = errorMessage(error);
  if (hadRefresh && error instanceof InvalidGrantError) {
    return new McpAuthError(`token expired and refresh failed (${message}); run \`rein mcp login ${server}\``);
  }
  if (/registration/i.test(message)) return new McpAuthError(`client registration refused by the authorization server: ${message}`);
  if (/metadata/i.test(message) && !(error instanceof OAuthError)) return new McpAuthError(`authorization metadata not found: ${message}`);
  if (error instanceof UnauthorizedError || error instanceof OAuthError) return new McpAuthError(`sign-in failed: ${message}`);
  return new McpAuthError(`sign-in failed: ${message}`);
}
