// One setting as a labelled control with its help and, after a refused save, its problem right under it.
import { useId } from 'react';
import { inputText, type FieldSpec } from '../../../settings-form.ts';

interface Props {
  field: FieldSpec;
  /** The saved value, or the draft's raw input. */
  value: unknown;
  error: string | undefined;
  /** A machine policy file decides this one. */
  locked?: string | undefined;
  onChange: (value: string | boolean) => void;
  /** A secret: forgets the stored one (shown as a button beside the input). */
  onRemove?: (() => void) | undefined;
}

export function SettingField({ field, value, error, locked, onChange, onRemove }: Props) {
  const id = useId();
  const help = [field.help, locked].filter(Boolean).join(' — ');
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': described, disabled: Boolean(locked), 'data-setting': field.key };
  const text = typeof value === 'string' ? value : inputText(value);
  let control;
  switch (field.kind) {
    case 'toggle':
      return (
        <div className="setting setting-toggle">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => { onChange(e.target.checked); }} />
          <label htmlFor={id}>{field.label}</label>
          {help && <p id={`${id}-help`} className="field-help">{help}</p>}
          {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
        </div>
      );
    case 'choice':
      return (
        <fieldset className="setting" aria-describedby={described} disabled={Boolean(locked)}>
          <legend className="field-label">{field.label}</legend>
          <div className="choice-column">
            {field.options!.map((o) => (
              <label key={o.value} className="choice">
                <input type="radio" name={field.key} value={o.value} checked={text === o.value} aria-invalid={error ? true : undefined} onChange={() => { onChange(o.value); }} />
                {o.label}
              </label>
            ))}
          </div>
          {help && <p id={`${id}-help`} className="field-help">{help}</p>}
          {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
        </fieldset>
      );
    case 'select':
      control = (
        <select {...common} value={text} onChange={(e) => { onChange(e.target.value); }}>
          {field.options!.some((o) => o.value === text) ? null : <option value={text}>{text}</option>}
          {field.options!.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      );
      break;
    case 'textarea':
      control = <textarea {...common} className="text-input setting-textarea" rows={5} placeholder={field.placeholder} value={text} onChange={(e) => { onChange(e.target.value); }} />;
      break;
    case 'lines':
      control = <textarea {...common} className="text-input setting-lines" rows={3} placeholder={field.placeholder} value={text} onChange={(e) => { onChange(e.target.value); }} />;
      break;
    case 'number':
      control = <input {...common} className="text-input setting-number" inputMode="decimal" placeholder={field.placeholder} value={text} onChange={(e) => { onChange(e.target.value); }} />;
      break;
    case 'secret':
      control = (
        <div className="row secret-row">
          <input {...common} type="password" autoComplete="off" spellCheck={false} className="text-input setting-secret" placeholder={field.placeholder} value={text} onChange={(e) => { onChange(e.target.value); }} />
          {onRemove && <button type="button" className="button ghost" onClick={onRemove}>Remove key</button>}
        </div>
      );
      break;
    default:
      control = <input {...common} className="text-input" placeholder={field.placeholder} value={text} onChange={(e) => { onChange(e.target.value); }} />;
  }
  return (
    <div className="setting">
      <label htmlFor={id} className="field-label">{field.label}</label>
      {control}
      {help && <p id={`${id}-help`} className="field-help">{help}</p>}
      {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
    </div>
  );
}
