import { useState, type KeyboardEvent, type SyntheticEvent } from 'react';

/** The model the next message goes to, and the installed ones to switch to. */
export interface ComposerModel {
  current: string | undefined;
  installed: string[];
  onPick: (name: string) => void;
}

interface Props {
  busy: boolean;
  canStop: boolean;
  blocked: string | undefined;
  model: ComposerModel;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** Enter sends, Shift+Enter adds a line. */
export function Composer({ busy, canStop, blocked, model, onSend, onStop }: Props) {
  const [text, setText] = useState('');
  const ready = text.trim().length > 0 && !busy && !blocked;

  const submit = (event?: SyntheticEvent) => {
    event?.preventDefault();
    if (!ready) return;
    onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };
  const choices = model.current && !model.installed.includes(model.current) ? [model.current, ...model.installed] : model.installed;

  return (
    <form className="composer" onSubmit={submit}>
      {blocked && (
        <p className="composer-blocked" role="status">
          {blocked}
        </p>
      )}
      <textarea
        aria-label="Message"
        className="composer-input"
        rows={2}
        placeholder="Ask Rein to do something… (Enter to send, Shift+Enter for a new line)"
        value={text}
        onChange={(event) => { setText(event.target.value); }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <label className="model-switch">
          <span className="visually-hidden">Model</span>
          <select aria-label="Model" value={model.current ?? ''} disabled={busy || choices.length === 0} onChange={(e) => { model.onPick(e.target.value); }}>
            {choices.length === 0 && <option value="">no model</option>}
            {choices.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <span className="grow" />
        {canStop ? (
          <button type="button" className="button danger" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={!ready}>
            Send
          </button>
        )}
      </div>
    </form>
  );
}
