import type { ToolCallItem } from '../../run-state.ts';
import { duration } from '../../time.ts';
import { ArgsView } from '../common/ArgsView.tsx';

const STATUS_TEXT = { running: 'running', ok: 'ok', error: 'error', denied: 'denied' } as const;
const TONE = { running: 'pending', ok: 'good', error: 'bad', denied: 'warn' } as const;

/** One tool call: name, status and execution time at a glance; arguments and result when expanded. */
export function ToolCard({ call, waiting = false }: { call: ToolCallItem; waiting?: boolean }) {
  const status = waiting ? 'waiting for approval' : STATUS_TEXT[call.status];
  const tone = waiting ? 'warn' : TONE[call.status];
  return (
    <details className={`tool-card tool-card-${waiting ? 'waiting' : call.status}`} aria-label={`Tool call ${call.name}`} open={call.status === 'error'}>
      <summary className="tool-head">
        <span className="tool-name">{call.name}</span>
        <span className={`tool-status badge badge-${tone}`}>{status}</span>
        {call.durationMs !== undefined && call.status !== 'denied' && (
          <span className="tool-duration" title="the tool's own time (waiting for an approval or for your answer is not counted)">
            {duration(call.durationMs)}{call.userMs ? ` · your answer took ${duration(call.userMs)}` : ''}
          </span>
        )}
      </summary>
      {call.repaired && <p className="tool-note">repaired: {call.repaired}</p>}
      <p className="tool-label">Arguments</p>
      <ArgsView value={call.args} />
      {call.error !== undefined && (
        <>
          <p className="tool-label">{call.status === 'denied' ? 'Not run' : 'Error'}</p>
          <pre className={call.status === 'denied' ? 'tool-output' : 'tool-error'}>{call.error}</pre>
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
