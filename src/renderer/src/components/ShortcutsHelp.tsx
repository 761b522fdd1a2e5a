import { useEffect, useRef } from 'react';

export const SHORTCUTS: [keys: string, what: string][] = [
  ['Ctrl/⌘ K', 'Command palette: panels, conversations, actions'],
  ['Ctrl/⌘ Shift O', 'New chat'],
  ['Ctrl/⌘ B', 'Show or hide the sidebar'],
  ['Ctrl/⌘ /', 'This list of shortcuts'],
  ['Enter', 'Send the message'],
  ['Shift Enter', 'New line in the message'],
  ['Esc', 'Close a dialog; cancel an edit'],
];

export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) el.showModal();
    else if (!open && el.open) el.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="help-sheet" aria-labelledby="shortcuts-title" onClose={onClose}>
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}>
              <th scope="row"><kbd>{keys}</kbd></th>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <button type="button" className="button" autoFocus onClick={onClose}>Close</button>
      </div>
    </dialog>
  );
}
