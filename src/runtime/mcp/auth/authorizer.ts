// The "user" side of a sign-in: something takes the authorization URL and comes back with the redirect
// (code + state). Headless runs cannot sign in; `rein mcp login` opens the browser and waits on a 127.0.0.1
// listener; tests and the conformance client follow the authorization server's redirect directly.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { McpAuthError, SignInNeededError } from './errors.ts';

export interface AuthorizationRequest {
  server: string;
  /** The authorization server's URL to visit (with PKCE challenge, state, scope, resource). */
  url: URL;
  redirectUri: string;
  signal?: AbortSignal;
}

export interface Authorizer {
  /** Resolves with the redirect URL the authorization server sent the user to (carries `code`/`error` and `state`). */
  authorize(request: AuthorizationRequest): Promise<URL>;
}

/** No one to sign in: the server's status says to run `rein mcp login`. */
export const headlessAuthorizer: Authorizer = {
  authorize: (request) => Promise.reject(new SignInNeededError(request.server)),
};

/** Fetches the authorization URL without following redirects and takes the redirect (servers that consent at once). */
export const redirectFollowingAuthorizer: Authorizer = {
  async authorize(request) {
    const response = await fetch(request.url, { redirect: 'manual', ...(request.signal ? { signal: request.signal } : {}) });
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location) throw new McpAuthError(`the authorization endpoint answered ${response.status} without redirecting back (sign-in needs a browser)`);
    return new URL(location, request.url);
  },
};

export interface LoopbackOptions {
  /** Shows the URL to the user (the CLI prints it). */
  onUrl(url: URL): void;
  /** Try to open the system browser (default true). */
  openBrowser?: boolean;
  /** How long to wait for the user (default 5 minutes). */
  timeoutMs?: number;
}

/** Opens the browser at the authorization URL and waits for the redirect on the 127.0.0.1 listener of `redirectUri`. */
export function loopbackAuthorizer(options: LoopbackOptions): Authorizer {
  return {
    authorize: (request) =>
      new Promise<URL>((resolve, reject) => {
        const redirect = new URL(request.redirectUri);
        const server = http.createServer((req, res) => {
          const url = new URL(req.url ?? '/', redirect);
          if (url.pathname !== redirect.pathname) {
            res.writeHead(404).end();
            return;
          }
          const denied = url.searchParams.get('error');
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          res.end(`<!doctype html><title>Rein</title><p>${denied ? 'Sign-in was not completed.' : 'Signed in — you can close this tab and return to Rein.'}</p>`);
          finish(() => resolve(url));
        });
        const timer = setTimeout(
          () => finish(() => reject(new McpAuthError(`no sign-in within ${Math.round((options.timeoutMs ?? 300_000) / 1000)} s (the browser never came back to ${redirect.origin})`))),
          options.timeoutMs ?? 300_000,
        );
        const onAbort = () => finish(() => reject(new McpAuthError('sign-in cancelled')));
        request.signal?.addEventListener('abort', onAbort, { once: true });
        function finish(settle: () => void): void {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', onAbort);
          server.close();
          server.closeAllConnections();
          settle();
        }
        server.once('error', (error) => finish(() => reject(new McpAuthError(`cannot listen on ${redirect.host} for the sign-in redirect: ${error.message}`))));
        server.listen(Number(redirect.port), redirect.hostname, () => {
          options.onUrl(request.url);
          if (options.openBrowser !== false) openInBrowser(request.url.href);
        });
      }),
  };
}

/** Opens `url` in the system browser (open / start / xdg-open); silently nothing when there is none. */
export function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // no browser: the printed URL is enough
  }
}
