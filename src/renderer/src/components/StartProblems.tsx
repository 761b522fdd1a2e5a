// Capabilities the runtime could not start, said at the top of every view until Rein restarts: which, why, and
// whether runs are refused meanwhile (no audit log or policy). Checked again when the runtime reports an error.
import { useEffect, useState } from 'react';
import type { RuntimeApi, StartProblem } from '../../../common/index.ts';

/** The runtime's start problems, loaded once and again whenever it reports an error. */
export function useStartProblems(client: RuntimeApi): StartProblem[] {
  const [problems, setProblems] = useState<StartProblem[]>([]);
  useEffect(() => {
    const load = () => { client.config.get().then((view) => { setProblems(view.startProblems); }, () => undefined); };
    load();
    return client.onEvent((event) => { if (event.type === 'system.notice' && event.level === 'error') load(); });
  }, [client]);
  return problems;
}

/** Whether an error a view met is one of these (then the banner has said it already). */
export function explainedBy(problems: readonly StartProblem[], message: string | undefined): boolean {
  return message !== undefined && problems.some((p) => message.includes(p.message));
}

export function StartProblems({ problems }: { problems: StartProblem[] }) {
  if (!problems.length) return null;
  return (
    <div className="error-line banner start-problems" role="alert" aria-label="Capabilities that did not start">
      {problems.map((p) => (
        <p key={p.message}>
          <strong>{listed(p.capabilities)} did not start</strong>: {p.message}.{' '}
          {p.refusesRuns ? 'Runs are refused until this is fixed and Rein restarted (nothing runs unaudited).' : 'Rein works without it until it is fixed and Rein restarted.'}
        </p>
      ))}
    </div>
  );
}

const NAMES: Record<string, string> = { audit: 'the audit log', policy: 'the policy', memory: 'memory', knowledge: 'knowledge', mcp: 'MCP servers', skills: 'skills', agents: 'subagents', telemetry: 'telemetry' };

/** ["audit", "policy", "memory"] → "The audit log, the policy and memory". */
function listed(capabilities: readonly string[]): string {
  const names = capabilities.map((c) => NAMES[c] ?? c);
  const text = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}` : names[0]!;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
