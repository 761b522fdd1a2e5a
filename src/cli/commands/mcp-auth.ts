// `rein mcp login <server>` (OAuth sign-in in the browser, redirect to a 127.0.0.1 listener, token into the
// OS keychain), `rein mcp logout <server>` (forget it) and `rein mcp passphrase <server>` (mTLS key passphrase
// from stdin into the keychain). With a host running on the data dir, login and logout go through it (its connection
// signs in or out) and passphrase has it restart the server (mcp-auth-host.ts).
import { AuthStore, McpService, MTLS_KEYCHAIN_SERVICE, Runtime, loopbackAuthorizer, openKeychain, describeLocation, type McpServerConfig, type ReinConfig } from '../../runtime/index.ts';
import { attachToHost } from '../attach.ts';
import type { CommandContext } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';
import { loginThroughHost, logoutThroughHost, restartForPassphrase } from './mcp-auth-host.ts';
import { LOGIN_TIMEOUT_S, signInPrompt, signedInLine } from './mcp-auth-text.ts';

type HttpServer = Extract<McpServerConfig, { url: string }>;

export async function loginCommand({ io, config }: CommandContext, name: string | undefined): Promise<number> {
  if (!name) return missingName(io, 'login');
  const host = await attachToHost(config(), io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') {
    try {
      return await loginThroughHost(host, name, io);
    } finally {
      host.close();
    }
  }
  const server = httpServer(config(), name, io, 'login');
  if (!server) return ExitCode.usage;
  if (server.auth?.type !== 'oauth' && server.auth?.type !== 'oidc') {
    io.stderr.write(`rein mcp login: server "${server.name}" has no \`auth: oauth\` in rein.yaml\n`);
    return ExitCode.usage;
  }
  const authorizer = loopbackAuthorizer({
    onUrl: (url) => io.stdout.write(signInPrompt(server.name, url.href)),
  });
  const service = new McpService({ authorizer });
  const loaded = config();
  const only = { ...server, timeout_s: Math.max(server.timeout_s, LOGIN_TIMEOUT_S) };
  const runtime = new Runtime({ config: { ...loaded, mcp_servers: [only] }, trace: false, extensions: [service] });
  try {
    await runtime.start();
    const [status] = service.servers();
    if (status?.state !== 'ready') {
      io.stderr.write(`rein mcp login: ${server.name}: ${status?.reason ?? 'did not start'}\n`);
      return ExitCode.failed;
    }
    io.stdout.write(signedInLine(server.name, status.auth, status.tools.length));
    return ExitCode.ok;
  } finally {
    await runtime.close();
  }
}

export async function logoutCommand({ io, config }: CommandContext, name: string | undefined): Promise<number> {
  if (!name) return missingName(io, 'logout');
  const host = await attachToHost(config(), io);
  if (host === 'failed') return ExitCode.failed;
  if (host !== 'none') {
    try {
      return await logoutThroughHost(host, name, io);
    } finally {
      host.close();
    }
  }
  const server = httpServer(config(), name, io, 'logout');
  if (!server) return ExitCode.usage;
  const removed = new AuthStore(server.name, server.url).clear();
  io.stdout.write(removed ? `signed out of ${server.name} (token removed from the keychain)\n` : `no stored sign-in for ${server.name}\n`);
  return ExitCode.ok;
}

export async function passphraseCommand({ io, config }: CommandContext, name: string | undefined): Promise<number> {
  const server = httpServer(config(), name, io, 'passphrase');
  if (!server) return ExitCode.usage;
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  const passphrase = text.replace(/\r?\n$/, '');
  if (!passphrase) {
    io.stderr.write('rein mcp passphrase: pipe the key passphrase on stdin\n');
    return ExitCode.usage;
  }
  const where = openKeychain({ env: io.env }).set(MTLS_KEYCHAIN_SERVICE, server.name, passphrase);
  io.stdout.write(`stored the key passphrase of ${server.name} in ${describeLocation(where)}\n`);
  const host = await attachToHost(config(), io);
  if (host === 'failed') return ExitCode.failed;
  if (host === 'none') return ExitCode.ok;
  try {
    return await restartForPassphrase(host, server.name, io);
  } finally {
    host.close();
  }
}

function httpServer(config: ReinConfig, name: string | undefined, io: CliIo, sub: string): HttpServer | undefined {
  if (!name) {
    missingName(io, sub);
    return undefined;
  }
  const server = config.mcp_servers.find((s) => s.name === name);
  if (!server || !('url' in server)) {
    const names = config.mcp_servers.filter((s) => 'url' in s).map((s) => s.name);
    io.stderr.write(`rein mcp ${sub}: no HTTP MCP server named "${name}" (configured: ${names.join(', ') || 'none'})\n`);
    return undefined;
  }
  return server;
}

function missingName(io: CliIo, sub: string): number {
  io.stderr.write(`rein mcp ${sub}: name the server (as in mcp_servers of rein.yaml)\n`);
  return ExitCode.usage;
}
