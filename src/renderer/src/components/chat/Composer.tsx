import { useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import type { ModelOption } from '../../model-choice.ts';
import { Icon } from '../common/Icon.tsx';
import { ModelSelect } from './ModelSelect.tsx';

/** The model the next message goes to, and the models of every source to switch to. */
export interface ComposerModel {
  /** The ref of the model the next message uses. */
  current: string;
  options: ModelOption[];
  onPick: (ref: string) => void;
}

interface Props {
  busy: boolean;
  canStop: boolean;
  blocked: string | undefined;
  model: ComposerModel;
  onSend: (text: string) => void;
  /** The same message to two models, side by side. */
  onCompare: (text: string, models: [string, string]) => void;
  onStop: () => void;
  /** Files chosen with the attach button (the same path as dropping them on the chat). */
  onAttach: (files: File[]) => void;
}

/** Enter sends, Shift+Enter adds a line. */
export function Composer({ busy, canStop, blocked, model, onSend, onCompare, onStop, onAttach }: Props) {
  const [text, setText] = useState('');
  const [comparing, setComparing] = useState(false);
  const [other, setOther] = useState<string>();
  const picker = useRef<HTMLInputElement>(null);
  const second = other ?? model.options.find((o) => o.ref !== model.current && o.reachable)?.ref ?? '';
  const ready = text.trim().length > 0 && !busy && !blocked && (!comparing || (second !== '' && second !== model.current));

  const submit = (event?: SyntheticEvent) => {
    event?.preventDefault();
    if (!ready) return;
    if (comparing) onCompare(text.trim(), [model.current, second]);
    else onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <form className="composer" onSubmit={submit}>
      {blocked && (
        <p className="composer-blocked" role="status" aria-label="Sending paused">
          {blocked}
        </p>
      )}
      <textarea
        aria-label="Message"
        className="composer-input"
        rows={2}
        placeholder={comparing ? 'Ask both models the same thing… (Enter to send)' : 'Ask Rein to do something… (Enter to send, Shift+Enter for a new line)'}
        value={text}
        onChange={(event) => { setText(event.target.value); }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-bar">
        <button type="button" className="ghost-button attach-button" aria-label="Attach documents" title="Attach documents to this conversation (or drop them on the chat)" onClick={() => picker.current?.click()}>
          <Icon name="paperclip" /> Attach
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          className="visually-hidden"
          tabIndex={-1}
          aria-hidden="true"
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length) onAttach(files);
          }}
        />
        <ModelSelect label="Model" value={model.current} options={model.options} disabled={busy} onChange={model.onPick} />
        {comparing && (
          <>
            <span className="muted small">vs</span>
            <ModelSelect label="Second model" value={second} options={model.options} disabled={busy} onChange={setOther} />
          </>
        )}
        <button type="button" className="ghost-button" aria-pressed={comparing} disabled={busy || model.options.length < 2} title={model.options.length < 2 ? 'Compare needs a second model' : 'Send the same message to two models and see both answers side by side'} onClick={() => { setComparing(!comparing); }}>
          {comparing ? 'Compare: on' : 'Compare'}
        </button>
        <span className="grow" />
        {canStop ? (
          <button type="button" className="button danger" onClick={onStop}>
            Stop
          </button>
        ) : (
          <button type="submit" className="button primary" disabled={!ready}>
            {comparing ? 'Send to both' : 'Send'}
          </button>
        )}
      </div>
    </form>
  );
}
