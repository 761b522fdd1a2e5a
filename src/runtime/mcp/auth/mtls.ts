// `auth: mtls`: requests carry a client certificate (PEM cert + key, optional CA for the server's certificate)
// through an undici Agent. The key's passphrase comes from rein.yaml (`${env:}`) or the OS keychain.
import { createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';
import { errorMessage } from '../../base/index.ts';
import type { McpMtlsConfig } from '../../config/index.ts';
import type { Keychain } from '../../keychain/index.ts';
import { McpAuthError } from './errors.ts';

/** Keychain service of a key passphrase; the account is the server name. */
export const MTLS_KEYCHAIN_SERVICE = 'rein-mcp-mtls-passphrase';

export interface MtlsFetch {
  fetch: FetchLike;
  close(): Promise<void>;
}

export function mtlsFetch(server: string, config: McpMtlsConfig, baseDir: string, keychain: Keychain): MtlsFetch {
  const cert = readPem(baseDir, config.cert, 'auth.cert');
  const key = readPem(baseDir, config.key, 'auth.key');
  const ca = config.ca ? readPem(baseDir, config.ca, 'auth.ca') : undefined;
  const passphrase = config.passphrase || keychain.get(MTLS_KEYCHAIN_SERVICE, server)?.value;
  try {
    createPrivateKey({ key, ...(passphrase ? { passphrase } : {}) });
  } catch (error) {
    throw new McpAuthError(
      `cannot read the private key ${config.key}: ${errorMessage(error)}${passphrase ? ' (wrong passphrase?)' : ' (encrypted? set auth.passphrase to ${env:NAME} or store it in the keychain)'}`,
    );
  }
  // undici is large: it loads only when a server uses mTLS.
  const undici = import('undici');
  const agent = undici.then(({ Agent }) => new Agent({ connect: { cert, key, ...(ca ? { ca } : {}), ...(passphrase ? { passphrase } : {}) } }));
  return {
    fetch: async (input, init) => (await undici).fetch(input as string, { ...(init as object), dispatcher: await agent }) as unknown as Promise<Response>,
    close: async () => (await agent).close(),
  };
}

function readPem(baseDir: string, file: string, key: string): string {
  const resolved = path.resolve(baseDir, file);
  try {
    return fs.readFileSync(resolved, 'utf8');
  } catch (error) {
    throw new McpAuthError(`cannot read ${key} ${resolved}: ${errorMessage(error)}`);
  }
}

/** A TLS failure in words: the server refused our certificate, or we did not trust the server's. */
export function describeTlsFailure(error: unknown): string | undefined {
  const texts: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    texts.push(`${(e as { code?: string }).code ?? ''} ${errorMessage(e)}`);
  }
  const all = texts.join(' | ');
  if (/alert|CERTIFICATE_REQUIRED|bad certificate|certificate unknown|handshake failure|unknown ca|ECONNRESET.*(tls|TLS|ssl)|socket hang up|other side closed/i.test(all)) {
    return `certificate rejected: the server refused the TLS client certificate (${texts.at(-1)?.trim()})`;
  }
  if (/SELF_SIGNED|UNABLE_TO_VERIFY|CERT_HAS_EXPIRED|ERR_TLS_CERT|unable to get local issuer/i.test(all)) {
    return `the server's certificate is not trusted (${texts.at(-1)?.trim()}); set auth.ca to the CA that signed it`;
  }
  return undefined;
}
