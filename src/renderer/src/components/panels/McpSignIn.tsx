import { useEffect, useState } from 'react';
import { errorText, isWebMode } from '../../client.ts';
import { openExternal } from '../../external.ts';
import type { McpServerStatus, RuntimeApi } from '../../../../common/index.ts';

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/**
 * Sign in / sign out of an OAuth MCP server: the host starts the flow and waits on its 127.0.0.1 redirect;
 * the sign-in page opens in the browser; the server's state events end the wait (ready, or failed with why).
 */
export function McpSignIn({ client, server, onChange }: { client: RuntimeApi; server: McpServerStatus; onChange: () => void }) {
  const [waiting, setWaiting] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const name = server.name;
  useEffect(
    () => client.onEvent((event) => {
      if (event.type === 'mcp.server.status' && event.server === name && event.state !== 'starting') setWaiting(undefined);
    }),
    [client, name],
  );
  if (server.auth?.kind !== 'oauth') return null;
  const run = (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    action().catch((err: unknown) => { setError(errorText(err)); }).finally(() => { setBusy(false); onChange(); });
  };
  const signIn = () => run(async () => {
    const started = await client.mcp.startSignIn(name);
    if (started.url) {
      setWaiting(started.url);
      openExternal(started.url);
    }
  });
  const cancel = () => run(async () => {
    await client.mcp.cancelSignIn(name);
    setWaiting(undefined);
  });
  const signOut = () => run(async () => { await client.mcp.signOut(name); });
  const signedIn = server.auth.signedIn && server.state === 'ready';
  return (
    <div className="sign-in" aria-label="Sign-in">
      {waiting ? (
        <div className="row" role="status">
          <span className="dot dot-pending" />
          <span>Waiting for sign-in in your browser…</span>
          <a href={waiting} target="_blank" rel="noopener noreferrer" onClick={(e) => { e.preventDefault(); openExternal(waiting); }}>Open the sign-in page</a>
          <button type="button" className="button" disabled={busy} onClick={cancel}>Cancel sign-in</button>
          {isWebMode() && !LOOPBACK.test(window.location.hostname) && (
            <span className="muted small">The sign-in returns to 127.0.0.1 of the computer Rein runs on: finish it in a browser there.</span>
          )}
        </div>
      ) : (
        <div className="row">
          {!signedIn && <span className="small">Sign-in needed: your browser opens the server’s sign-in page.</span>}
          {!signedIn && <button type="button" className="button primary" disabled={busy || server.state === 'disabled'} onClick={signIn}>Sign in</button>}
          {server.auth.signedIn && <button type="button" className="button" disabled={busy} onClick={signOut}>Sign out</button>}
        </div>
      )}
      {error && <p className="error-line" role="alert">{error}</p>}
    </div>
  );
}
