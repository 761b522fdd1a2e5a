// `auth: mtls` against a real HTTPS MCP server that requires client certificates (generated here with openssl):
// the accepted certificate works (also with an encrypted key), a certificate from another CA or none at all
// fails with a reason that says so.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpService, MTLS_KEYCHAIN_SERVICE, Runtime, openKeychain } from '../../../src/runtime/index.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { startProtectedServer, type ProtectedServer } from '../../support/protected-mcp-server.ts';

const dir = tempDir('rein-mtls-');
const file = (name: string) => path.join(dir, name);
let server: ProtectedServer;

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, and a certificate it signs for `cn` (server: with the 127.0.0.1 address). */
function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${name}`);
}
function makeCert(name: string, ca: string, ext?: string): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${name}`);
  if (ext) fs.writeFileSync(file(`${name}.ext`), ext);
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-out', `${name}.crt`, '-days', '2', ...(ext ? ['-extfile', `${name}.ext`] : []));
}

beforeAll(async () => {
  makeCa('ca');
  makeCa('rogue-ca');
  makeCert('server', 'ca', 'subjectAltName=IP:127.0.0.1\n');
  makeCert('client', 'ca');
  makeCert('rogue', 'rogue-ca');
  openssl('pkey', '-in', 'client.key', '-aes256', '-passout', 'pass:s3cret', '-out', 'client-encrypted.key');
  server = await startProtectedServer({ tls: { cert: fs.readFileSync(file('server.crt'), 'utf8'), key: fs.readFileSync(file('server.key'), 'utf8'), ca: fs.readFileSync(file('ca.crt'), 'utf8') } });
}, 60_000);
afterAll(() => server.close());

async function start(auth: string, env: NodeJS.ProcessEnv = {}, url = server.url) {
  const config = testConfig(`mcp_servers:\n  - name: secure\n    url: ${url}\n    timeout_s: 20\n${auth}`, 'http://127.0.0.1:9', env);
  const mcp = new McpService();
  const runtime = new Runtime({ config: { ...config, file: path.join(dir, 'rein.yaml') }, extensions: [mcp], trace: false });
  await runtime.start();
  return { status: mcp.servers()[0]!, runtime, mcp };
}

const mtls = (cert: string, key: string, extra = '') => `    auth:\n      type: mtls\n      cert: ${cert}\n      key: ${key}\n      ca: ca.crt\n${extra}`;

describe('MCP over mutual TLS', () => {
  it('connects and calls tools with the accepted client certificate (paths relative to rein.yaml)', async () => {
    const { status, runtime } = await start(mtls('client.crt', 'client.key'));
    try {
      expect(status).toMatchObject({ state: 'ready', auth: { kind: 'mtls', signedIn: true } });
      const result = await runtime.guard.invoke(
        { id: 'c1', name: 'secure__whoami', arguments: {} },
        { runId: 'r', step: 1, signal: new AbortController().signal, emit: () => undefined },
      );
      expect(result).toMatchObject({ ok: true, output: 'hello, authenticated caller' });
    } finally {
      await runtime.close();
    }
  });

  it('works over the legacy SSE transport too', async () => {
    const { status, runtime } = await start(`    transport: sse\n${mtls('client.crt', 'client.key')}`, {}, server.url.replace(/\/mcp$/, '/sse'));
    try {
      expect(status).toMatchObject({ state: 'ready', transport: 'sse' });
      const result = await runtime.guard.invoke(
        { id: 'c1', name: 'secure__whoami', arguments: {} },
        { runId: 'r', step: 1, signal: new AbortController().signal, emit: () => undefined },
      );
      expect(result).toMatchObject({ ok: true, output: 'hello, authenticated caller' });
    } finally {
      await runtime.close();
    }
  });

  it('reads an encrypted key with the passphrase from ${env:}', async () => {
    const { status, runtime } = await start(mtls('client.crt', 'client-encrypted.key', '      passphrase: ${env:KEY_PASS}\n'), { KEY_PASS: 's3cret' });
    await runtime.close();
    expect(status).toMatchObject({ state: 'ready' });
  });

  it('reads the passphrase from the keychain when rein.yaml has none', async () => {
    openKeychain().set(MTLS_KEYCHAIN_SERVICE, 'secure', 's3cret');
    try {
      const { status, runtime } = await start(mtls('client.crt', 'client-encrypted.key'));
      await runtime.close();
      expect(status).toMatchObject({ state: 'ready' });
    } finally {
      openKeychain().delete(MTLS_KEYCHAIN_SERVICE, 'secure');
    }
  });

  it('says the certificate was rejected when it comes from another CA', async () => {
    const { status, runtime } = await start(mtls('rogue.crt', 'rogue.key'));
    await runtime.close();
    expect(status).toMatchObject({ state: 'failed', reason: expect.stringContaining('certificate rejected') });
  });

  it('names a wrong passphrase and a missing certificate file', async () => {
    const wrong = await start(mtls('client.crt', 'client-encrypted.key', '      passphrase: nope\n'));
    await wrong.runtime.close();
    expect(wrong.status).toMatchObject({ state: 'failed', reason: expect.stringContaining('wrong passphrase') });
    const missing = await start(mtls('nowhere.crt', 'client.key'));
    await missing.runtime.close();
    expect(missing.status).toMatchObject({ state: 'failed', reason: expect.stringMatching(/cannot read auth\.cert .*nowhere\.crt/) });
  });

  it('without a client certificate the server is not trusted / refuses, and the reason says certificate', async () => {
    const { status, runtime } = await start('');
    await runtime.close();
    expect(status).toMatchObject({ state: 'failed', reason: expect.stringMatching(/certificate/) });
  });
});
