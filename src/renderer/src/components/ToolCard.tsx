import type { ToolCallItem } from '../run-state.ts';

function formatArgs(args: unknown): string {
  if (args === undefined) return '(no arguments)';
  try {
    return JSON.stringify(args, null, 2);
  } catch {
    return String(args);
  }
}

export function ToolCard({ call }: { call: ToolCallItem }) {
  return (
    <article className={`tool-card tool-card-${call.status}`}>
      <header className="tool-head">
        <span className="tool-name">{call.name}</span>
        <span className="tool-status">{call.status}</span>
        {call.durationMs !== undefined && <span className="tool-duration">{call.durationMs} ms</span>}
      </header>
      {call.repaired && <p className="tool-note">repaired: {call.repaired}</p>}
      <pre className="tool-args">{formatArgs(call.args)}</pre>
      {call.error !== undefined && <pre className="tool-error">{call.error}</pre>}
      {call.output !== undefined && <pre className="tool-output">{call.output}</pre>}
      {call.truncated && <p className="tool-note">output truncated</p>}
    </article>
  );
}
