// A conversation as a file: Markdown people read (prompts, answers, every tool call with its arguments and result,
// every approval and how it was decided) or JSON (every event of every run).
import type { RunEvent } from '../../common/index.ts';

export interface ExportedRun {
  runId: string;
  events: RunEvent[];
}

const RESULT_CHARS = 4000;

const fence = (text: string, lang = '') => {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}${lang}\n${text}\n${ticks}`;
};
const clip = (text: string) => (text.length > RESULT_CHARS ? `${text.slice(0, RESULT_CHARS)}\n… (${text.length - RESULT_CHARS} more characters; the JSON export has all)` : text);
const json = (value: unknown) => {
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
};

export function conversationMarkdown(title: string, runs: ExportedRun[], exportedAt = new Date()): string {
  const lines = [`# ${title}`, '', `_Exported from Rein on ${exportedAt.toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' })}._`, ''];
  for (const { runId, events } of runs) {
    const started = events.find((e) => e.type === 'run.started' || e.type === 'run.resumed');
    const finished = events.findLast((e) => e.type === 'run.finished');
    if (started && 'goal' in started) lines.push('## You', '', started.goal, '');
    const approvals = new Map<string, string>();
    for (const e of events) {
      switch (e.type) {
        case 'tool.called':
          lines.push(`### Tool call \`${e.name}\``, '', 'Arguments:', '', fence(json(e.args), 'json'), '');
          break;
        case 'tool.result':
          lines.push(`${e.ok ? 'Result' : 'Failed'} (${e.durationMs} ms${e.userMs ? `, plus ${e.userMs} ms for your answer` : ''}${e.truncated ? ', truncated' : ''}):`, '', fence(clip(e.ok ? (e.output ?? '') : (e.error ?? ''))), '');
          break;
        case 'approval.requested':
          approvals.set(e.id, e.tool);
          lines.push(`> **Approval asked** for \`${e.tool}\` (${e.rule}): ${e.reason}`, '');
          break;
        case 'approval.resolved':
          lines.push(`> **${e.decision === 'deny' ? 'Denied' : e.decision === 'allow_always' ? 'Allowed always' : 'Allowed once'}** by ${e.by}${e.reason ? `: ${e.reason}` : ''}`, '');
          break;
        case 'policy.denied':
          lines.push(`> **Denied by policy** (${e.rule}): \`${e.tool}\` — ${e.reason}`, '');
          break;
        default:
          break;
      }
    }
    const model = started && 'model' in started ? started.model : undefined;
    lines.push(`## Rein${model ? ` (${model})` : ''}`, '');
    if (finished?.type === 'run.finished') lines.push(finished.answer ?? `_(${finished.status}${finished.reason ? `: ${finished.reason}` : ''})_`, '');
    else lines.push('_(no answer: the run did not finish)_', '');
    lines.push(`<sub>run ${runId}${started ? ` · ${started.time}` : ''}${finished?.type === 'run.finished' ? ` · ${finished.steps} step${finished.steps === 1 ? '' : 's'} · ${finished.usage.promptTokens + finished.usage.completionTokens} tokens` : ''}</sub>`, '');
  }
  return lines.join('\n');
}

export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => { URL.revokeObjectURL(url); }, 1000);
}

/** A file name from a title: letters, digits, `-`, `_`; no leading or trailing dots or dashes ("working..." → "working"). */
export const fileSafe = (title: string) =>
  title.replace(/[^\w.-]+/g, '-').replace(/\.{2,}/g, '.').replace(/-{2,}/g, '-').slice(0, 60).replace(/^[-.]+|[-.]+$/g, '') || 'conversation';
