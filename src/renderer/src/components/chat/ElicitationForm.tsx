// An MCP server's form request: every field of its schema with its label, help, default and constraints, validated
// before it is sent. Nothing is submitted unseen: the defaults are filled in where the user can see and change them.
import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import type { PendingQuestion, UserAnswer } from '../../../../common/index.ts';
import { fieldsOf, initialValues, validate, type Field, type FormValue } from '../../elicitation.ts';
import { SHOW_EVENT } from '../../use-follow.ts';

interface Props {
  question: PendingQuestion;
  onAnswer: (answer: UserAnswer) => void;
}

export function ElicitationForm({ question, onAnswer }: Props) {
  const fields = useMemo(() => fieldsOf(question.schema), [question.schema]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [sent, setSent] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const set = (name: string, value: FormValue) => { setValues((v) => ({ ...v, [name]: value })); };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validate(fields, values);
    setErrors(checked.errors);
    const first = fields.find((f) => checked.errors[f.name]);
    if (first) {
      // The first field to fix, in view and focused (its error is read out with it).
      requestAnimationFrame(() => {
        const control = form.current?.querySelector<HTMLElement>(`[data-field="${CSS.escape(first.name)}"]`);
        control?.dispatchEvent(new CustomEvent(SHOW_EVENT, { bubbles: true })); // the chat stops following its end
        control?.scrollIntoView({ block: 'center' });
        control?.focus({ preventScroll: true });
      });
      return;
    }
    setSent(true);
    onAnswer({ action: 'accept', content: checked.content });
  };
  const refuse = (action: 'decline' | 'cancel') => {
    setSent(true);
    onAnswer({ action });
  };

  return (
    <section className="question-card" role="dialog" aria-label={`Form: ${question.title}`}>
      <header className="question-head">
        <strong>{question.title}</strong>
        <span className="muted small">asked by {question.source}</span>
      </header>
      <p className="question-message">{question.message}</p>
      <form ref={form} className="elicit-form" onSubmit={submit} noValidate>
        {fields.length === 0 && <p className="muted small">The server asks for no fields: submitting only confirms.</p>}
        {fields.map((field) => (
          <FieldInput key={field.name} field={field} value={values[field.name]!} error={errors[field.name]} onChange={(v) => { set(field.name, v); }} />
        ))}
        <div className="question-actions">
          <button type="submit" className="button primary" disabled={sent}>Submit</button>
          <button type="button" className="button" disabled={sent} onClick={() => { refuse('decline'); }}>Decline</button>
          <button type="button" className="button ghost" disabled={sent} onClick={() => { refuse('cancel'); }}>Cancel</button>
        </div>
      </form>
    </section>
  );
}

function hintOf(field: Field): string {
  const parts: string[] = [];
  if (field.kind === 'integer') parts.push('whole number');
  if (field.minimum !== undefined && field.maximum !== undefined) parts.push(`${field.minimum}–${field.maximum}`);
  else if (field.minimum !== undefined) parts.push(`≥ ${field.minimum}`);
  else if (field.maximum !== undefined) parts.push(`≤ ${field.maximum}`);
  if (field.minLength !== undefined || field.maxLength !== undefined) parts.push(`${field.minLength ?? 0}–${field.maxLength ?? '∞'} characters`);
  if (field.format) parts.push(field.format);
  if (field.default !== undefined) {
    const label = (v: unknown) => field.choices?.find((c) => c.value === String(v))?.label ?? String(v);
    parts.push(`default: ${Array.isArray(field.default) ? field.default.map(label).join(', ') : label(field.default)}`);
  }
  return parts.join(' · ');
}

function FieldInput({ field, value, error, onChange }: { field: Field; value: FormValue; error: string | undefined; onChange: (v: FormValue) => void }) {
  const id = useId();
  const help = [field.description, hintOf(field)].filter(Boolean).join(' — ');
  const described = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = { id, 'data-field': field.name, 'aria-invalid': error ? true : undefined, 'aria-describedby': described, 'aria-required': field.required || undefined };
  const label = (
    <label htmlFor={id} className={`field-label${field.required ? ' is-required' : ''}`}>
      {field.label}
    </label>
  );
  let control;
  switch (field.kind) {
    case 'boolean':
      return (
        <div className="field field-check">
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => { onChange(e.target.checked); }} />
          {label}
          {help && <p id={`${id}-help`} className="field-help">{help}</p>}
        </div>
      );
    case 'choice':
      control = (
        <select {...common} value={value as string} onChange={(e) => { onChange(e.target.value); }}>
          {!field.required || value === '' ? <option value="">— choose —</option> : null}
          {field.choices!.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </select>
      );
      break;
    case 'multi': {
      const list = value as string[];
      return (
        <fieldset className="field" aria-describedby={described}>
          <legend className={`field-label${field.required ? ' is-required' : ''}`}>{field.label}</legend>
          <div className="choice-row">
            {field.choices!.map((c) => (
              <label key={c.value} className="choice">
                <input type="checkbox" data-field={c === field.choices![0] ? field.name : undefined} checked={list.includes(c.value)} onChange={(e) => { onChange(e.target.checked ? [...list, c.value] : list.filter((v) => v !== c.value)); }} />
                {c.label}
              </label>
            ))}
          </div>
          {help && <p id={`${id}-help`} className="field-help">{help}</p>}
          {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
        </fieldset>
      );
    }
    case 'number':
    case 'integer':
      control = <input type="number" className="text-input" {...common} step={field.kind === 'integer' ? 1 : 'any'} min={field.minimum} max={field.maximum} value={value as string} onChange={(e) => { onChange(e.target.value); }} />;
      break;
    default:
      control = <input type={field.inputType ?? 'text'} className="text-input" {...common} minLength={field.minLength} maxLength={field.maxLength} value={value as string} onChange={(e) => { onChange(e.target.value); }} />;
  }
  return (
    <div className="field">
      {label}
      {control}
      {help && <p id={`${id}-help`} className="field-help">{help}</p>}
      {error && <p id={`${id}-error`} className="field-error" role="alert">{error}</p>}
    </div>
  );
}
