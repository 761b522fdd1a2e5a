// Models: the default model and its state; on a first run without one, the zero-setup choice (download the model Rein
// recommends for this machine and run it in Rein, after saying its size, licence and where it goes — or use a model
// server that is already running); every configured source's models with context window, tool calls and a cloud badge;
// pulls with progress, speed, time left and cancel.
import { useEffect, useRef, useState } from 'react';
import { RECOMMENDED_MODEL, type ModelRecommendation, type ModelSource, type ModelStatus, type PullProgressEvent, type RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { optionFacts, providerName, stateWord } from '../../model-choice.ts';
import { duration } from '../../time.ts';
import { useLoad } from '../../use-load.ts';
import { LoadView } from '../common/LoadView.tsx';
import { ModelPicker, formatBytes } from './ModelPicker.tsx';

interface Props {
  client: RuntimeApi;
  status: ModelStatus | undefined;
  onChanged: () => void;
  /** Opens Settings at a section (the cloud hint). */
  onOpenSettings: (section: string) => void;
}

const CONTEXT_SOURCE: Record<string, string> = { server: 'as the server loaded it', configured: 'from rein.yaml', table: "the provider's documented size", default: 'a default — the server did not say' };

export function SetupPanel({ client, status, onChanged, onOpenSettings }: Props) {
  const [models, reload] = useLoad(() => client.models.list(), [client, status?.reachable]);
  const [sources, reloadSources] = useLoad(() => client.models.sources(), [client, status?.reachable]);
  const [recommended] = useLoad(() => client.models.recommended(), [client]);
  const pull = usePull(client, () => { reload(); reloadSources(); onChanged(); });
  const [name, setName] = useState(RECOMMENDED_MODEL);
  const firstRun = status !== undefined && (!status.reachable || !status.present);

  return (
    <section className="panel models-panel" aria-label="Models">
      <h2>Models</h2>
      {status && <DefaultModel status={status} />}
      {firstRun && (
        <GetStarted
          client={client}
          recommendation={recommended.state === 'ready' ? recommended.data : undefined}
          sources={sources.state === 'ready' ? sources.data : []}
          pull={pull}
          onChanged={() => { reloadSources(); onChanged(); }}
          onOpenSettings={onOpenSettings}
          cloudConfigured={status?.cloud === true}
        />
      )}
      {status?.reachable && (status.provider === 'ollama' || (models.state === 'ready' && models.data.length > 0)) && (
        <>
          <h3>{status.provider === 'ollama' ? 'Installed models' : 'Models of the default source'}</h3>
          <LoadView load={models}>{(list) => <ModelPicker client={client} models={list} current={status.model} onChanged={onChanged} />}</LoadView>
        </>
      )}
      {sources.state === 'ready' && sources.data.some((s) => s.id !== 'model') && <OtherSources sources={sources.data.filter((s) => s.id !== 'model')} />}
      {status?.reachable && status.provider === 'ollama' && (
        <>
          <h3>Pull a model</h3>
          <div className="row">
            <input aria-label="Model to pull" className="text-input" value={name} onChange={(e) => { setName(e.target.value); }} />
            <button type="button" className="button primary" disabled={pull.running || !name.trim()} onClick={() => { pull.start(name.trim()); }}>Pull</button>
          </div>
          <p className="muted small">Recommended: {RECOMMENDED_MODEL} (tool calling, about 2.6 GB).</p>
        </>
      )}
      {!(firstRun && recommended.state === 'ready' && pull.progress?.name === recommended.data.ref) && <PullProgressView pull={pull} />}
    </section>
  );
}

function DefaultModel({ status }: { status: ModelStatus }) {
  const state = stateWord(status);
  return (
    <div className="card default-model" aria-label="Default model">
      <div className="row">
        <span className={`dot dot-${state.tone}`} />
        <strong>{status.model}</strong>
        {status.cloud && <span className="badge-cloud" title="This model runs on another machine: what you send leaves this computer">cloud</span>}
        <span className="muted">{state.word}</span>
      </div>
      <p className="muted small">
        {providerName(status.provider)} at <code>{status.host}</code>
        {status.contextWindow ? ` · ${status.contextWindow.toLocaleString()} tokens of context (${CONTEXT_SOURCE[status.contextSource ?? 'server'] ?? status.contextSource})` : ''}
        {status.tools === true ? ' · calls tools natively' : status.tools === false ? " · no native tool calls (Rein's JSON protocol)" : ''}
      </p>
      {status.error && !status.reachable && <p className="muted small setup-error">{status.error}</p>}
    </div>
  );
}

/** The first-run choice, two clicks to a working model: the recommended download (after consent) or a running server. */
function GetStarted({ client, recommendation, sources, pull, onChanged, onOpenSettings, cloudConfigured }: {
  client: RuntimeApi;
  recommendation: ModelRecommendation | undefined;
  sources: ModelSource[];
  pull: Pull;
  onChanged: () => void;
  onOpenSettings: (section: string) => void;
  /** The default model is a cloud one already: no hint about cloud models. */
  cloudConfigured: boolean;
}) {
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState<string>();
  const running = sources.filter((s) => s.reachable && s.models.length > 0);
  const use = (source: ModelSource, model: string) => {
    setError(undefined);
    const changes = source.id === 'model'
      ? [{ key: 'model.name' as const, value: model }]
      : [{ key: 'model.provider' as const, value: source.provider }, { key: 'model.base_url' as const, value: source.baseUrl ?? null }, { key: 'model.name' as const, value: model }];
    client.config.updateSettings(changes).then((result) => {
      if (result.ok) onChanged();
      else setError(result.issues.map((i) => `${i.key}: ${i.message}`).join('\n'));
    }, (err: unknown) => { setError(errorText(err)); });
  };
  return (
    <section className="get-started" aria-label="Get started">
      <h3>Get a model running</h3>
      <div className="choices">
        {recommendation && (
          <article className="card choice-card" aria-label="Download a model">
            <h4>Download a model and run it in Rein</h4>
            <p className="muted small">Nothing else to install. {sentence(recommendation.reason)}</p>
            {recommendation.present ? (
              <p>{recommendation.title} is downloaded already.</p>
            ) : !consent ? (
              <button type="button" className="button primary" onClick={() => { setConsent(true); }}>Use {recommendation.title}…</button>
            ) : (
              <>
                <dl className="facts">
                  <dt>Model</dt><dd>{recommendation.title}</dd>
                  <dt>Download</dt><dd>{formatBytes(recommendation.sizeBytes)}</dd>
                  <dt>Licence</dt><dd>{recommendation.licenceUrl ? <a href={recommendation.licenceUrl} target="_blank" rel="noreferrer noopener">{recommendation.licence}</a> : recommendation.licence}</dd>
                  <dt>Saved to</dt><dd><code>{recommendation.target}</code></dd>
                </dl>
                <div className="row">
                  <button type="button" className="button primary" disabled={pull.running} onClick={() => { pull.start(recommendation.ref); }}>Agree and download</button>
                  <button type="button" className="button ghost" disabled={pull.running} onClick={() => { setConsent(false); }}>Not now</button>
                </div>
                {pull.progress?.name === recommendation.ref && <PullProgressView pull={pull} />}
              </>
            )}
          </article>
        )}
        <article className="card choice-card" aria-label="Use a running model server">
          <h4>Use a model server that is already running</h4>
          {running.length > 0 ? (
            <ul className="plain server-list">
              {running.map((source) => (
                <li key={source.id}>
                  <span className="muted small">{providerName(source.provider)} at <code>{source.baseUrl}</code></span>
                  <div className="row">
                    {source.models.slice(0, 6).map((m) => (
                      <button key={m.name} type="button" className="button" onClick={() => { use(source, m.name); }}>Use {m.name}{optionFacts({ contextWindow: m.contextWindow, tools: m.tools, cloud: source.cloud }) ? ` (${optionFacts({ contextWindow: m.contextWindow, tools: m.tools, cloud: source.cloud })})` : ''}</button>
                    ))}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <>
              <p className="muted small">None answers right now. Start one, then Rein finds it within a few seconds:</p>
              <ul className="steps">
                <li><strong>Ollama</strong> — install from <a href="https://ollama.com/download" target="_blank" rel="noreferrer noopener">ollama.com/download</a>, start it (<code>ollama serve</code>) and get a model (<code>ollama pull {RECOMMENDED_MODEL}</code>).</li>
                <li><strong>LM Studio, llama.cpp, Jan, vLLM</strong> — start its local server, then choose <em>OpenAI-compatible server</em> and its address under Settings → Model.</li>
              </ul>
            </>
          )}
          {error && <p className="error-line" role="alert">{error}</p>}
        </article>
      </div>
      {!cloudConfigured && <p className="muted small cloud-hint">
        A cloud model (Anthropic) instead? What you send would leave this computer, so Rein allows it only when you say
        so: <button type="button" className="link-button" onClick={() => { onOpenSettings('network'); }}>Where models may run</button>,
        then Provider and API key under <button type="button" className="link-button" onClick={() => { onOpenSettings('model'); }}>Settings → Model</button>.
      </p>}
    </section>
  );
}

/** "this machine has 24 GB…" → "This machine has 24 GB….". */
const sentence = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1).replace(/\.$/, '')}.`;

function OtherSources({ sources }: { sources: ModelSource[] }) {
  return (
    <>
      <h3>Other sources</h3>
      {sources.map((source) => (
        <div key={source.id} className="card source-card" aria-label={`Source ${source.id}`}>
          <div className="row">
            <strong>{source.id}</strong>
            <span className="muted small">{providerName(source.provider)}{source.baseUrl ? <> at <code>{source.baseUrl}</code></> : null}</span>
            {source.cloud && <span className="badge-cloud">cloud</span>}
            <span className={`badge badge-${source.reachable ? 'good' : 'bad'}`}>{source.reachable ? 'reachable' : 'not reachable'}</span>
          </div>
          {source.error && <p className="muted small">{source.error}</p>}
          {source.models.length > 0 && (
            <ul className="plain model-facts">
              {source.models.map((m) => <li key={m.name}><code>{m.ref ?? `${source.id}:${m.name}`}</code> <span className="muted small">{optionFacts({ contextWindow: m.contextWindow, tools: m.tools, cloud: m.cloud ?? source.cloud })}</span></li>)}
            </ul>
          )}
        </div>
      ))}
      <p className="muted small">Pick any of them for a conversation in the chat's model list; add sources under <code>providers:</code> in rein.yaml.</p>
    </>
  );
}

// ── pulls: progress, speed, time left, cancel ──

interface Pull {
  progress: PullProgressEvent | undefined;
  running: boolean;
  /** Bytes per second and seconds left: the provider's, else measured here. */
  speed?: number;
  eta?: number;
  error?: string;
  start: (name: string) => void;
  cancel: () => void;
}

function usePull(client: RuntimeApi, onDone: () => void): Pull {
  const [progress, setProgress] = useState<PullProgressEvent>();
  const [error, setError] = useState<string>();
  const [measured, setMeasured] = useState<{ speed?: number; eta?: number }>({});
  const last = useRef<{ at: number; bytes: number }>(undefined);
  useEffect(() => client.onEvent((event) => {
    if (event.type !== 'model.pull.progress') return;
    setProgress(event);
    if (event.completed !== undefined && event.total) {
      const now = Date.now();
      const before = last.current;
      if (before && now > before.at && event.completed >= before.bytes) {
        const speed = (event.completed - before.bytes) / ((now - before.at) / 1000);
        setMeasured((m) => ({ speed: m.speed ? m.speed * 0.7 + speed * 0.3 : speed, eta: speed > 0 ? (event.total! - event.completed!) / speed : undefined }));
      }
      last.current = { at: now, bytes: event.completed };
    }
  }), [client]);
  const running = Boolean(progress && !progress.done);
  return {
    progress,
    running,
    ...(progress?.bytesPerSecond ?? measured.speed ? { speed: progress?.bytesPerSecond ?? measured.speed! } : {}),
    ...(progress?.etaSeconds ?? measured.eta ? { eta: progress?.etaSeconds ?? measured.eta! } : {}),
    ...(error ? { error } : {}),
    start: (name) => {
      setError(undefined);
      setMeasured({});
      last.current = undefined;
      setProgress({ type: 'model.pull.progress', name, status: 'starting' });
      client.models.pull(name).then(onDone, (err: unknown) => { setError(errorText(err)); });
    },
    cancel: () => { if (progress) void client.models.cancelPull(progress.name); },
  };
}

function PullProgressView({ pull }: { pull: Pull }) {
  const { progress } = pull;
  if (!progress) return pull.error ? <p className="error-line" role="alert">{pull.error}</p> : null;
  const percent = progress.total ? Math.round(((progress.completed ?? 0) / progress.total) * 100) : undefined;
  const detail = pull.running && progress.total ? [
    `${formatBytes(progress.completed ?? 0)} of ${formatBytes(progress.total)}`,
    pull.speed ? `${formatBytes(pull.speed)}/s` : '',
    pull.eta !== undefined ? `${duration(pull.eta * 1000)} left` : '',
  ].filter(Boolean).join(' · ') : '';
  return (
    <div className="pull-progress">
      <progress aria-label="Pull progress" max={100} value={percent ?? (progress.done ? 100 : undefined)} />
      <span role="status" aria-label="Pull status">{progress.name}: {progress.error ?? (percent !== undefined && !progress.done ? `${percent}%` : progress.status)}</span>
      {detail && <span className="muted small">{detail}</span>}
      {pull.running && <button type="button" className="button" onClick={pull.cancel}>Cancel</button>}
      {pull.error && <p className="error-line" role="alert">{pull.error}</p>}
    </div>
  );
}
