// A short-lived message at the bottom of the window with an Undo button (e.g. "Note deleted — Undo").
import { useEffect } from 'react';

/** Shown for `ms` (then onExpire); a new `key` on the element restarts the timer. */
export function UndoToast({ message, onUndo, onExpire, ms = 8000, busy = false }: { message: string; onUndo: () => void; onExpire: () => void; ms?: number; busy?: boolean }) {
  useEffect(() => {
    if (busy) return undefined;
    const timer = setTimeout(onExpire, ms);
    return () => { clearTimeout(timer); };
  }, [onExpire, ms, busy]);
  return (
    <div className="toast" role="status">
      <span>{message}</span>
      <button type="button" className="toast-action" onClick={onUndo} disabled={busy}>Undo</button>
    </div>
  );
}
