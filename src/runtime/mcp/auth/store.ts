// Per-server OAuth state (tokens, refresh token, registered client) as one JSON secret in the OS keychain,
// keyed by server name + URL. Never written to rein.yaml, the data dir, traces or the audit log.
import type { OAuthClientInformationMixed, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import { openKeychain, type Keychain } from '../../keychain/index.ts';

export const OAUTH_KEYCHAIN_SERVICE = 'rein-mcp-oauth';

export interface StoredAuth {
  tokens?: OAuthTokens;
  /** When the tokens were saved (ms since epoch): with `expires_in` gives the expiry. */
  savedAt?: number;
  client?: OAuthClientInformationMixed;
}

export class AuthStore {
  private readonly keychain: Keychain;
  private readonly account: string;

  constructor(server: string, url: string, keychain: Keychain = openKeychain()) {
    this.keychain = keychain;
    this.account = `${server} ${url}`;
  }

  read(): StoredAuth {
    const entry = this.keychain.get(OAUTH_KEYCHAIN_SERVICE, this.account);
    if (!entry) return {};
    try {
      return JSON.parse(entry.value) as StoredAuth;
    } catch {
      return {};
    }
  }

  update(change: (stored: StoredAuth) => StoredAuth): void {
    this.keychain.set(OAUTH_KEYCHAIN_SERVICE, this.account, JSON.stringify(change(this.read())));
  }

  /** Forgets tokens and registration; true when something was stored. */
  clear(): boolean {
    return this.keychain.delete(OAUTH_KEYCHAIN_SERVICE, this.account);
  }
}
