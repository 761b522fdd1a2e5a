// The model a message goes to: every configured source's models, grouped by source, with context window and native
// tool calls; a cloud model carries a visible badge.
import type { ModelOption } from '../../model-choice.ts';
import { optionFacts } from '../../model-choice.ts';

interface Props {
  label: string;
  value: string;
  options: ModelOption[];
  disabled?: boolean;
  onChange: (ref: string) => void;
}

export function ModelSelect({ label, value, options, disabled, onChange }: Props) {
  const sources = [...new Set(options.map((o) => o.source))];
  const current = options.find((o) => o.ref === value);
  const known = Boolean(current) || !value;
  return (
    <span className="model-switch">
      <select aria-label={label} value={value} disabled={disabled || options.length === 0} onChange={(e) => { onChange(e.target.value); }}>
        {options.length === 0 && <option value={value}>{value || 'no model'}</option>}
        {!known && <option value={value}>{value}</option>}
        {sources.map((source) => {
          const group = options.filter((o) => o.source === source);
          const head = group[0]!;
          const name = `${source === 'model' ? 'Default' : source} · ${head.provider}${head.reachable ? '' : ' (not reachable)'}`;
          const items = group.map((o) => <option key={o.ref} value={o.ref} disabled={!o.reachable}>{o.name}{optionFacts(o) ? ` — ${optionFacts(o)}` : ''}</option>);
          return sources.length > 1 ? <optgroup key={source} label={name}>{items}</optgroup> : items;
        })}
      </select>
      {current?.cloud && <span className="badge-cloud" title="This model runs on another machine: what you send leaves this computer">cloud</span>}
    </span>
  );
}
