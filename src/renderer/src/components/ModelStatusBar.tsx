import { useCallback, useEffect, useState } from 'react';
import type { ModelStatus, RuntimeApi } from '../../../common/index.ts';
import { errorText } from '../client.ts';

type Probe = { state: 'checking' } | { state: 'done'; status: ModelStatus } | { state: 'failed'; error: string };

function describe(probe: Probe): { tone: string; label: string; detail?: string } {
  if (probe.state === 'checking') return { tone: 'pending', label: 'checking model…' };
  if (probe.state === 'failed') return { tone: 'bad', label: 'runtime unavailable', detail: probe.error };
  const { status } = probe;
  if (status.reachable && status.present) return { tone: 'good', label: 'ready' };
  if (status.reachable) return { tone: 'warn', label: 'model not pulled', detail: status.error };
  return { tone: 'bad', label: `${status.provider} unreachable`, detail: status.error };
}

export function ModelStatusBar({ client }: { client: RuntimeApi }) {
  const [probe, setProbe] = useState<Probe>({ state: 'checking' });

  const refresh = useCallback(() => {
    setProbe({ state: 'checking' });
    client.modelStatus().then(
      (status) => { setProbe({ state: 'done', status }); },
      (error: unknown) => { setProbe({ state: 'failed', error: errorText(error) }); },
    );
  }, [client]);

  useEffect(refresh, [refresh]);

  const { tone, label, detail } = describe(probe);
  const status = probe.state === 'done' ? probe.status : undefined;
  return (
    <header className="header">
      <div className="header-row">
        <h1 className="brand">Rein</h1>
        {status && (
          <span className="model-name" title={status.host}>
            {status.provider} · {status.model}
          </span>
        )}
        <span className={`badge badge-${tone}`}>{label}</span>
        <button type="button" className="link-button" onClick={refresh} disabled={probe.state === 'checking'}>
          Recheck
        </button>
      </div>
      {detail && <pre className="header-detail">{detail}</pre>}
    </header>
  );
}
