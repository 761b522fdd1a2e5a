import { useState } from 'react';

/** Copies text to the clipboard and says so for a moment. */
export function CopyButton({ text, label = 'Copy', className = 'ghost-button' }: { text: string; label?: string; className?: string }) {
  const [done, setDone] = useState(false);
  const copy = () => {
    navigator.clipboard.writeText(text).then(
      () => {
        setDone(true);
        setTimeout(() => { setDone(false); }, 1500);
      },
      () => undefined,
    );
  };
  return (
    <button type="button" className={className} aria-label={label} onClick={copy}>
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}
