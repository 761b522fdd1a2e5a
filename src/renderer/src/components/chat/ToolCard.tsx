import type { ToolCallItem } from '../../run-state.ts';
import { ArgsView } from '../common/ArgsView.tsx';

const STATUS_TEXT = { running: 'running', ok: 'ok', error: 'error' } as const;

/** One tool call: name, status and execution time at a glance; arguments and result when expanded. */
export function ToolCard({ call, waiting = false }: { call: ToolCallItem; waiting?: boolean }) {
  const status = waiting ? 'waiting for approval' : STATUS_TEXT[call.status];
  const tone = waiting ? 'warn' : call.status === 'ok' ? 'good' : call.status === 'error' ? 'bad' : 'pending';
  return (
    <details className={`tool-card tool-card-${waiting ? 'waiting' : call.status}`} aria-label={`Tool call ${call.name}`} open={call.status === 'error'}>
      <summary className="tool-head">
        <span className="tool-name">{call.name}</span>
        <span className={`tool-status badge badge-${tone}`}>{status}</span>
        {call.durationMs !== undefined && <span className="tool-duration" title="execution time (without waiting for approval)">{call.durationMs} ms</span>}
      </summary>
      {call.repaired && <p className="tool-note">repaired: {call.repaired}</p>}
      <p className="tool-label">Arguments</p>
      <ArgsView value={call.args} />
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
