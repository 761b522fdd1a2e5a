// A short-lived message at the bottom of the window with an Undo button (e.g. "Note deleted — Undo").
import { useEffect } from 'react';

/** Shown for `ms` (then onExpire); a new `key` on the element restarts the timer. */
export interface UndoToastProps {
  message: string;
  onUndo: () => void;
  onExpire: () => void;
  ms?: number;
  /** The undo is under way: the timer waits. */
  busy?: boolean;
  /** Why the undo failed (shown in the toast, which then stays its full time again). */
  problem?: string | undefined;
}

export function UndoToast({ message, onUndo, onExpire, ms = 8000, busy = false, problem }: UndoToastProps) {
  useEffect(() => {
    if (busy) return undefined;
    const timer = setTimeout(onExpire, ms);
    return () => { clearTimeout(timer); };
  }, [onExpire, ms, busy, problem]);
  return (
    <div className="toast" role="status">
      <span>{message}</span>
      {problem ? <span role="alert" className="toast-problem">{problem}</span> : <button type="button" className="toast-action" onClick={onUndo} disabled={busy}>Undo</button>}
    </div>
  );
}
