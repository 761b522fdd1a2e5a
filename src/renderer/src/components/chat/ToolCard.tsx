import type { ToolCallItem } from '../../run-state.ts';
import { Json } from '../common/LoadView.tsx';

/** One tool call: name, status and duration at a glance; arguments and result when expanded. */
export function ToolCard({ call }: { call: ToolCallItem }) {
  return (
    <details className={`tool-card tool-card-${call.status}`} aria-label={`Tool call ${call.name}`} open={call.status === 'error'}>
      <summary className="tool-head">
        <span className="tool-name">{call.name}</span>
        <span className={`tool-status badge badge-${call.status === 'ok' ? 'good' : call.status === 'error' ? 'bad' : 'pending'}`}>{call.status}</span>
        {call.durationMs !== undefined && <span className="tool-duration">{call.durationMs} ms</span>}
      </summary>
      {call.repaired && <p className="tool-note">repaired: {call.repaired}</p>}
      <p className="tool-label">Arguments</p>
      <Json value={call.args} />
      {call.error !== undefined && (
        <>
          <p className="tool-label">Error</p>
          <pre className="tool-error">{call.error}</pre>
        </>
      )}
      {call.output !== undefined && (
        <>
          <p className="tool-label">Result</p>
          <pre className="tool-output">{call.output}</pre>
        </>
      )}
      {call.truncated && <p className="tool-note">output truncated</p>}
    </details>
  );
}
