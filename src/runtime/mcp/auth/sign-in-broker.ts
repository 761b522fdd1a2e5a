// Sign-ins started from the UI (desktop or `rein serve`) on the host: an armed server's next authorization
// listens on its 127.0.0.1 redirect and hands the authorization URL to whoever armed it (the UI opens it);
// servers that are not armed keep the fallback authorizer (headless: "sign-in needed").
import { loopbackAuthorizer, type AuthorizationRequest, type Authorizer } from './authorizer.ts';

interface Armed {
  abort: AbortController;
  url: Promise<URL>;
  resolveUrl(url: URL): void;
  rejectUrl(error: unknown): void;
}

export interface ArmedSignIn {
  /** The authorization URL, once the server asked for a sign-in. */
  url: Promise<URL>;
  cancel(): void;
}

export class SignInBroker implements Authorizer {
  private readonly armed = new Map<string, Armed>();
  private readonly fallback: Authorizer;
  private readonly timeoutMs: number;

  constructor(fallback: Authorizer, timeoutMs = 300_000) {
    this.fallback = fallback;
    this.timeoutMs = timeoutMs;
  }

  /** The next authorization of `server` waits for the user's browser (a previous one still waiting is cancelled). */
  arm(server: string): ArmedSignIn {
    this.cancel(server);
    let resolveUrl!: (url: URL) => void;
    let rejectUrl!: (error: unknown) => void;
    const url = new Promise<URL>((resolve, reject) => { resolveUrl = resolve; rejectUrl = reject; });
    url.catch(() => undefined);
    const armed: Armed = { abort: new AbortController(), url, resolveUrl, rejectUrl };
    this.armed.set(server, armed);
    return { url, cancel: () => this.cancelArmed(server, armed) };
  }

  /** Stops a sign-in of `server` that waits for the browser; true when one was waiting. */
  cancel(server: string): boolean {
    const armed = this.armed.get(server);
    if (!armed) return false;
    this.cancelArmed(server, armed);
    return true;
  }

  authorize(request: AuthorizationRequest): Promise<URL> {
    const armed = this.armed.get(request.server);
    if (!armed) return this.fallback.authorize(request);
    const signal = request.signal ? AbortSignal.any([request.signal, armed.abort.signal]) : armed.abort.signal;
    const loopback = loopbackAuthorizer({ onUrl: (url) => armed.resolveUrl(url), openBrowser: false, timeoutMs: this.timeoutMs });
    return loopback.authorize({ ...request, signal }).finally(() => {
      if (this.armed.get(request.server) === armed) this.armed.delete(request.server);
    });
  }

  private cancelArmed(server: string, armed: Armed): void {
    if (this.armed.get(server) === armed) this.armed.delete(server);
    armed.abort.abort();
    armed.rejectUrl(new Error('sign-in cancelled'));
  }
}
