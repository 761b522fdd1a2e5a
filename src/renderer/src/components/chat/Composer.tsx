import { useState, type KeyboardEvent, type SyntheticEvent } from 'react';

interface Props {
  busy: boolean;
  canStop: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** Enter sends, Shift+Enter adds a line. */
export function Composer({ busy, canStop, onSend, onStop }: Props) {
  const [text, setText] = useState('');
  const ready = text.trim().length > 0 && !busy;

  const submit = (event?: SyntheticEvent) => {
    event?.preventDefault();
    if (!ready) return;
    onSend(text.trim());
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <form className="composer" onSubmit={submit}>
      <textarea
        aria-label="Message"
        className="composer-input"
        rows={2}
        placeholder="Ask Rein to do something… (Enter to send, Shift+Enter for a new line)"
        value={text}
        onChange={(event) => { setText(event.target.value); }}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
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
