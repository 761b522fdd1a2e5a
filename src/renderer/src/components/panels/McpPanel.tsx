import { useEffect, useState } from 'react';
import { errorText } from '../../client.ts';
import type { McpAuthStatus, McpServerStatus, RuntimeApi } from '../../../../common/index.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { McpAddForm } from './McpAddForm.tsx';
import { McpSignIn } from './McpSignIn.tsx';

const TONE = { ready: 'good', starting: 'pending', reconnecting: 'pending', failed: 'bad', disabled: 'warn' } as const;

/** MCP servers: status, stderr tail and tools; add one or import a Claude-Desktop config. */
export function McpPanel({ client }: { client: RuntimeApi }) {
  const [servers, reloadServers] = useLoad(() => client.mcp.servers(), [client]);
  const [tools, reloadTools] = useLoad(() => client.mcp.tools(), [client]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState<string>();
  const [confirm, setConfirm] = useState<string>();
  const reload = () => { reloadServers(); reloadTools(); };
  // Live: a server changing state (started, failed, new tools) refreshes the list without reopening the panel.
  useEffect(() => client.onEvent((event) => { if (event.type === 'mcp.server.status') { reloadServers(); reloadTools(); } }), [client, reloadServers, reloadTools]);
  const act = (server: string, action: () => Promise<unknown>) => {
    setBusy(server);
    setError(undefined);
    action().then(reload, (err: unknown) => { setError(errorText(err)); }).finally(() => { setBusy(undefined); setConfirm(undefined); });
  };
  return (
    <section className="panel" aria-label="MCP servers">
      <h2>MCP servers</h2>
      <LoadView load={servers}>
        {(list) => (
          <>
            {list.length === 0 && <p className="muted">No MCP servers configured.</p>}
            <ul className="cards">
              {list.map((server) => (
                <li key={server.name} className="card" aria-label={`Server ${server.name}`}>
                  <div className="row">
                    <span className={`dot dot-${TONE[server.state]}`} />
                    <strong>{server.name}</strong>
                    <span className="muted small">{server.transport} · {server.state} · {server.toolCount} tools</span>
                    {server.auth && <span className="muted small" aria-label="Sign-in">{authText(server.auth)}</span>}
                  </div>
                  <McpSignIn client={client} server={server} onChange={reload} />
                  <div className="row server-actions">
                    <button type="button" className="button" disabled={busy === server.name || server.state === 'disabled'} onClick={() => { act(server.name, () => client.mcp.restart(server.name)); }}>Restart</button>
                    <button type="button" className="button" disabled={busy === server.name} onClick={() => { act(server.name, () => client.mcp.setEnabled(server.name, server.state === 'disabled')); }}>
                      {server.state === 'disabled' ? 'Enable' : 'Disable'}
                    </button>
                    {confirm === server.name ? (
                      <button type="button" className="button danger" disabled={busy === server.name} onClick={() => { act(server.name, () => client.mcp.remove(server.name)); }}>Remove from config?</button>
                    ) : (
                      <button type="button" className="button danger" disabled={busy === server.name} onClick={() => { setConfirm(server.name); }}>Remove…</button>
                    )}
                  </div>
                  {server.reason && !signInHint(server) && <p className={server.state === 'disabled' ? 'muted small' : 'error-line'}>{server.reason}</p>}
                  {server.stderrTail.length > 0 && (
                    <details>
                      <summary>stderr ({server.stderrTail.length} lines)</summary>
                      <pre className="stderr">{server.stderrTail.join('\n')}</pre>
                    </details>
                  )}
                  {tools.state === 'ready' && (
                    <ul className="tool-list">
                      {tools.data.filter((t) => t.server === server.name).map((t) => (
                        <li key={t.name} title={t.description}>{t.name} <span className="muted small">{t.capability}</span></li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ul>
            <McpAddForm client={client} onAdded={reload} onError={setError} />
          </>
        )}
      </LoadView>
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}

/** "sign-in needed: run `rein mcp login …`" of a server with the Sign in button: the button says it already. */
function signInHint(server: McpServerStatus): boolean {
  return server.auth?.kind === 'oauth' && /^sign-in needed: run /.test(server.reason ?? '');
}

function authText(auth: McpAuthStatus): string {
  if (auth.kind === 'mtls') return '· client certificate';
  if (!auth.signedIn) return '· not signed in';
  const who = auth.subject ? ` as ${auth.subject}` : '';
  const until = auth.expiresAt ? ` · token until ${new Date(auth.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}` : '';
  return `· signed in${who}${until}`;
}
