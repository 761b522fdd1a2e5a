import { useEffect, useState } from 'react';
import { RECOMMENDED_MODEL, type ModelStatus, type PullProgressEvent, type RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { ModelPicker } from './ModelPicker.tsx';

interface Props {
  client: RuntimeApi;
  status: ModelStatus | undefined;
  onChanged: () => void;
}

/** First run and model settings: is Ollama there, which models, pull one with progress, pick model and context. */
export function SetupPanel({ client, status, onChanged }: Props) {
  const [models, reload] = useLoad(() => client.models.list(), [client]);
  const [name, setName] = useState(RECOMMENDED_MODEL);
  const [progress, setProgress] = useState<PullProgressEvent>();
  const [error, setError] = useState<string>();

  useEffect(() => client.onEvent((event) => { if (event.type === 'model.pull.progress') setProgress(event); }), [client]);
  const pulling = Boolean(progress && !progress.done);

  const pull = () => {
    setError(undefined);
    setProgress({ type: 'model.pull.progress', name, status: 'starting' });
    client.models.pull(name).then(
      () => { reload(); onChanged(); },
      (err: unknown) => { setError(errorText(err)); },
    );
  };

  if (status && !status.reachable) {
    return (
      <section className="panel" aria-label="Models">
        <h2>Set up Ollama</h2>
        <p>Rein runs a local model with Ollama, which is not reachable at <code>{status.host}</code>.</p>
        <ol className="steps">
          <li>Install Ollama from <a href="https://ollama.com/download" target="_blank" rel="noreferrer noopener">ollama.com/download</a> (Linux: <code>curl -fsSL https://ollama.com/install.sh | sh</code>).</li>
          <li>Start it: <code>ollama serve</code> (Ollama's own desktop app on macOS and Windows starts it for you).</li>
          <li>Come back and press “Check again”.</li>
        </ol>
        <pre className="muted setup-error">{status.error}</pre>
        <button type="button" className="button primary" onClick={onChanged}>Check again</button>
      </section>
    );
  }
  const percent = progress?.total ? Math.round(((progress.completed ?? 0) / progress.total) * 100) : undefined;
  return (
    <section className="panel" aria-label="Models">
      <h2>Models</h2>
      {status && <p className="muted">Ollama at {status.host} · configured model <strong>{status.model}</strong>{status.present ? ' (ready)' : ' (not pulled yet)'}</p>}
      <LoadView load={models}>{(list) => <ModelPicker client={client} models={list} current={status?.model} onChanged={onChanged} />}</LoadView>
      <h3>Pull a model</h3>
      <div className="row">
        <input aria-label="Model to pull" className="text-input" value={name} onChange={(e) => { setName(e.target.value); }} />
        <button type="button" className="button primary" disabled={pulling || !name.trim()} onClick={pull}>Pull</button>
        {pulling && <button type="button" className="button" onClick={() => void client.models.cancelPull(name)}>Cancel</button>}
      </div>
      <p className="muted small">Recommended: {RECOMMENDED_MODEL} (tool calling, about 2.6 GB).</p>
      {progress && (
        <div className="pull-progress">
          <progress aria-label="Pull progress" max={100} value={percent ?? (progress.done ? 100 : undefined)} />
          <span role="status" aria-label="Pull status">{progress.name}: {progress.error ?? progress.status}{percent !== undefined && !progress.done ? ` ${percent}%` : ''}</span>
        </div>
      )}
      {error && <p className="error-line" role="alert">{error}</p>}
    </section>
  );
}
