import { useEffect, useState } from 'react';
import type { ModelSummary, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';
import { optionFacts } from '../../model-choice.ts';

interface Props {
  client: RuntimeApi;
  models: ModelSummary[];
  current: string | undefined;
  onChanged: () => void;
}

const CONTEXT_SIZES = [4096, 8192, 16384, 32768];

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  const power = Math.min(Math.floor(Math.log10(Math.max(bytes, 1)) / 3), units.length - 1);
  return `${(bytes / 1000 ** power).toFixed(power ? 1 : 0)} ${units[power]}`;
}

export function ModelPicker({ client, models, current, onChanged }: Props) {
  const [name, setName] = useState(current ?? '');
  const [numCtx, setNumCtx] = useState('');
  const [message, setMessage] = useState<string>();
  useEffect(() => { if (current) setName(current); }, [current]);

  const save = () => {
    client.config.setModel({ name, ...(numCtx ? { numCtx: Number(numCtx) } : {}) }).then(
      (view) => { setMessage(`Saved to ${view.writableFile}: the next runs use ${view.model.name}.`); onChanged(); },
      (err: unknown) => { setMessage(errorText(err)); },
    );
  };

  if (models.length === 0) return <p>No models installed yet. Pull one below.</p>;
  return (
    <div className="model-picker">
      <ul className="model-list" aria-label="Installed models">
        {models.map((model) => (
          <li key={model.name}>
            <label>
              <input type="radio" name="model" value={model.name} checked={name === model.name} onChange={() => { setName(model.name); }} />
              <span className="model-name">{model.name}</span>
              <span className="muted small">{[model.parameterSize, model.sizeBytes ? formatBytes(model.sizeBytes) : '', optionFacts({ contextWindow: model.contextWindow, tools: model.tools, cloud: model.cloud ?? false })].filter(Boolean).join(' · ')}</span>
              {model.cloud && <span className="badge-cloud">cloud</span>}
            </label>
          </li>
        ))}
      </ul>
      <div className="row">
        <label htmlFor="num-ctx">Context size</label>
        <select id="num-ctx" value={numCtx} onChange={(e) => { setNumCtx(e.target.value); }}>
          <option value="">model default (up to 32768)</option>
          {CONTEXT_SIZES.map((size) => <option key={size} value={size}>{size} tokens</option>)}
        </select>
        <button type="button" className="button primary" disabled={!name} onClick={save}>Use this model</button>
      </div>
      {message && <p className="muted" role="status">{message}</p>}
    </div>
  );
}
