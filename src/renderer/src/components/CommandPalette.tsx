// Ctrl/Cmd+K: jump to a panel, a conversation or an action by typing; arrows and Enter, Esc closes.
import { useEffect, useRef, useState } from 'react';

export interface Command {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

export function CommandPalette({ open, commands, onClose }: { open: boolean; commands: Command[]; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      setQuery('');
      setActive(0);
      el.showModal();
    } else if (!open && el.open) el.close();
  }, [open]);

  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const shown = commands.filter((c) => words.every((w) => `${c.label} ${c.hint ?? ''}`.toLowerCase().includes(w))).slice(0, 12);
  const choose = (command: Command | undefined) => {
    if (!command) return;
    onClose();
    command.run();
  };
  return (
    <dialog ref={dialog} className="palette" aria-label="Command palette" onClose={onClose} onClick={(e) => { if (e.target === dialog.current) onClose(); }}>
      <input
        aria-label="Command"
        role="combobox"
        aria-expanded="true"
        aria-controls="palette-list"
        aria-activedescendant={shown[active] ? `cmd-${shown[active].id}` : undefined}
        className="palette-input"
        placeholder="Type a command, panel or conversation…"
        value={query}
        autoFocus
        onChange={(e) => { setQuery(e.target.value); setActive(0); }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') { e.preventDefault(); setActive((a) => Math.min(a + 1, shown.length - 1)); }
          if (e.key === 'ArrowUp') { e.preventDefault(); setActive((a) => Math.max(a - 1, 0)); }
          if (e.key === 'Enter') { e.preventDefault(); choose(shown[active]); }
        }}
      />
      <ul id="palette-list" role="listbox" aria-label="Commands" className="palette-list">
        {shown.length === 0 && <li className="muted small palette-empty">No match.</li>}
        {shown.map((command, index) => (
          <li
            key={command.id}
            id={`cmd-${command.id}`}
            role="option"
            aria-selected={index === active}
            className="palette-item"
            onMouseEnter={() => { setActive(index); }}
            onClick={() => { choose(command); }}
          >
            <span>{command.label}</span>
            {command.hint && <span className="muted small">{command.hint}</span>}
          </li>
        ))}
      </ul>
    </dialog>
  );
}
