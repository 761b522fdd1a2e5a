// A conversation as a file: Markdown (prompts, answers, tool calls in brief) or JSON (every event of every run).
import type { RunEvent } from '../../common/index.ts';

export interface ExportedRun {
  runId: string;
  events: RunEvent[];
}

export function conversationMarkdown(title: string, runs: ExportedRun[]): string {
  const lines = [`# ${title}`, ''];
  for (const { runId, events } of runs) {
    const started = events.find((e) => e.type === 'run.started' || e.type === 'run.resumed');
    const finished = events.findLast((e) => e.type === 'run.finished');
    if (started && 'goal' in started) lines.push(`## You`, '', started.goal, '');
    for (const e of events) if (e.type === 'tool.called') lines.push(`> tool \`${e.name}\` ${JSON.stringify(e.args)}`, '');
    lines.push(`## Rein`, '');
    if (finished?.type === 'run.finished') lines.push(finished.answer ?? `_(${finished.status}${finished.reason ? `: ${finished.reason}` : ''})_`, '');
    lines.push(`<sub>run ${runId}${started ? ` · ${started.time}` : ''}</sub>`, '');
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

export const fileSafe = (title: string) => title.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'conversation';
