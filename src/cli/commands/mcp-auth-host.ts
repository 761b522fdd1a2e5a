// `rein mcp login|logout|passphrase` with a host running on the data dir: the host signs in (its connection of the
// server turns ready without a restart), signs out, and restarts a server whose key passphrase changed.
import type { McpServerStatus } from '../../common/index.ts';
import { ApiError } from '../../common/api/errors.ts';
import type { HostConnection } from '../../host/client.ts';
import { openInBrowser } from '../../runtime/index.ts';
import { ExitCode } from '../exit-codes.ts';
import type { CliIo } from '../io.ts';
import { LOGIN_TIMEOUT_S, signInPrompt, signedInLine } from './mcp-auth-text.ts';

type Settled = { state: 'ready' } | { state: 'failed'; reason: string };

const hostName = (host: HostConnection) => `the running host (pid ${host.info.pid})`;

export async function loginThroughHost(host: HostConnection, name: string, io: CliIo): Promise<number> {
  try {
    const server = await hostServer(host, name, io, 'login');
    if (!server) return ExitCode.usage;
    if (server.auth?.kind !== 'oauth') {
      io.stderr.write(`rein mcp login: server "${name}" has no \`auth: oauth\` in rein.yaml\n`);
      return ExitCode.usage;
    }
    const settled = settlement(host, name); // listening before the sign-in starts: no state change is missed
    const cancel = () => void host.api.mcp.cancelSignIn(name).catch(() => undefined);
    const ctrlC = watchCtrlC(cancel); // before anything is printed: a Ctrl-C at any point cancels on the host
    try {
      const started = await host.api.mcp.startSignIn(name);
      if (!started.url) return await report(host, name, started.status.state === 'ready' ? { state: 'ready' } : { state: 'failed', reason: started.status.reason ?? 'did not start' }, io);
      if (ctrlC.interrupted) cancel();
      else {
        io.stdout.write(signInPrompt(name, started.url));
        openInBrowser(started.url);
      }
      const code = await waitForSignIn(host, name, settled.result, cancel, io);
      return ctrlC.interrupted ? ExitCode.interrupted : code;
    } finally {
      ctrlC.stop();
      settled.stop();
    }
  } catch (error) {
    return apiFailure(error, 'login', io);
  }
}

export async function logoutThroughHost(host: HostConnection, name: string, io: CliIo): Promise<number> {
  try {
    const server = await hostServer(host, name, io, 'logout');
    if (!server) return ExitCode.usage;
    const status = await host.api.mcp.signOut(name);
    io.stdout.write(server.auth?.signedIn ? `signed out of ${name} (token removed from the keychain)\n` : `no stored sign-in for ${name}\n`);
    io.stdout.write(`${hostName(host)} restarted ${name}: ${describeState(status)}\n`);
    return ExitCode.ok;
  } catch (error) {
    return apiFailure(error, 'logout', io);
  }
}

/** After the passphrase is in the keychain: the host restarts the server so its connection reads it. */
export async function restartForPassphrase(host: HostConnection, name: string, io: CliIo): Promise<number> {
  try {
    if (!(await host.api.mcp.servers()).some((s) => s.name === name)) {
      io.stdout.write(`${hostName(host)} has no server named ${name}; it reads the passphrase when it starts one\n`);
      return ExitCode.ok;
    }
    const status = await host.api.mcp.restart(name);
    io.stdout.write(`${hostName(host)} restarted ${name} to use it: ${describeState(status)}\n`);
    return status.state === 'ready' ? ExitCode.ok : ExitCode.failed;
  } catch (error) {
    return apiFailure(error, 'passphrase', io);
  }
}

/** Waits for the host's connection to turn ready or failed (a Ctrl-C cancelled sign-in fails too). */
async function waitForSignIn(host: HostConnection, name: string, settled: Promise<Settled>, cancel: () => void, io: CliIo): Promise<number> {
  // The host gives up after its own 5 minutes and says so; this only guards against a host that never answers.
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      cancel();
      resolve({ state: 'failed', reason: `no sign-in within ${LOGIN_TIMEOUT_S} s` });
    }, (LOGIN_TIMEOUT_S + 30) * 1000);
  });
  const hostGone = host.closed.then((): Settled => ({ state: 'failed', reason: `${hostName(host)} closed the connection before the sign-in finished` }));
  try {
    return await report(host, name, await Promise.race([settled, timedOut, hostGone]), io);
  } finally {
    clearTimeout(timer);
  }
}

/** Ctrl-C calls `onFirst` (a second one exits at once, not waiting for the host). */
function watchCtrlC(onFirst: () => void): { readonly interrupted: boolean; stop(): void } {
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    onFirst();
  };
  process.on('SIGINT', onSigint);
  return {
    get interrupted() {
      return interrupted;
    },
    stop: () => process.off('SIGINT', onSigint),
  };
}

async function report(host: HostConnection, name: string, outcome: Settled, io: CliIo): Promise<number> {
  if (outcome.state === 'failed') {
    io.stderr.write(`rein mcp login: ${name}: ${outcome.reason}\n`);
    return ExitCode.failed;
  }
  const status = (await host.api.mcp.servers()).find((s) => s.name === name);
  io.stdout.write(signedInLine(name, status?.auth, status?.toolCount ?? 0));
  io.stdout.write(`${hostName(host)} is connected to ${name} now (no restart needed)\n`);
  return ExitCode.ok;
}

/** The first `ready` or `failed` of the server in the host's state events. */
function settlement(host: HostConnection, name: string): { result: Promise<Settled>; stop(): void } {
  let stop!: () => void;
  const result = new Promise<Settled>((resolve) => {
    stop = host.api.onEvent((event) => {
      if (event.type !== 'mcp.server.status' || event.server !== name) return;
      const { state, reason } = event;
      if (state === 'ready') resolve({ state });
      else if (state === 'failed' || state === 'disabled') resolve({ state: 'failed', reason: reason ?? state });
    });
  });
  return { result, stop };
}

/** The server as the host runs it; a name it does not know (or a stdio server) is reported like in-process. */
async function hostServer(host: HostConnection, name: string, io: CliIo, sub: string): Promise<McpServerStatus | undefined> {
  const servers = (await host.api.mcp.servers()).filter((s) => s.transport !== 'stdio');
  const server = servers.find((s) => s.name === name);
  if (!server) io.stderr.write(`rein mcp ${sub}: no HTTP MCP server named "${name}" on ${hostName(host)} (configured: ${servers.map((s) => s.name).join(', ') || 'none'})\n`);
  return server;
}

function describeState(status: McpServerStatus): string {
  if (status.state === 'ready') return `ready, ${status.toolCount} tool${status.toolCount === 1 ? '' : 's'}`;
  return `${status.state}${status.reason ? ` (${status.reason})` : ''}`;
}

function apiFailure(error: unknown, sub: string, io: CliIo): number {
  if (!(error instanceof ApiError)) throw error;
  io.stderr.write(`rein mcp ${sub}: ${error.message}\n`);
  return error.code === 'bad_request' || error.code === 'not_found' ? ExitCode.usage : ExitCode.failed;
}
