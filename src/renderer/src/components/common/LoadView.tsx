// Renders a panel's load state: a spinner line, an error, the honest "not enabled" state, or the content.
import type { ReactNode } from 'react';
import type { Load } from '../../use-load.ts';

export function Unavailable({ message }: { message: string }) {
  return (
    <div className="empty-state" role="status">
      <p className="empty-title">{message}</p>
      <p className="muted">This panel shows real data only; it fills in once the capability is part of the runtime and enabled in rein.yaml.</p>
    </div>
  );
}

export function LoadView<T>({ load, children }: { load: Load<T>; children: (data: T) => ReactNode }) {
  switch (load.state) {
    case 'loading':
      return <p className="muted">Loading…</p>;
    case 'unavailable':
      return <Unavailable message={load.message} />;
    case 'error':
      return (
        <p className="error-line" role="alert">
          {load.message}
        </p>
      );
    case 'ready':
      return <>{children(load.data)}</>;
  }
}

export function Json({ value }: { value: unknown }) {
  let text: string;
  try {
    text = value === undefined ? '(none)' : JSON.stringify(value, null, 2);
  } catch {
    text = String(value);
  }
  return <pre className="json">{text}</pre>;
}
