import { citedNumbers, passagesOf, type CitedPassage } from '../../citations.tsx';
import { Markdown } from '../../markdown.tsx';
import type { RunView, TimelineItem } from '../../run-state.ts';
import { duration } from '../../time.ts';
import { SourcesList } from './SourcesList.tsx';
import { ToolCard } from './ToolCard.tsx';

type Shown = TimelineItem & { times?: number };

/** The cause a notice gives in parentheses, e.g. `model "nomic-embed-text" is not pulled — run …`. */
const noticeCause = (message: string) => /\(([^()]{12,})\)/.exec(message)?.[1];

/**
 * Identical retries in a row (e.g. the model server down) collapse into one line with their count; notices of
 * several capabilities with the same cause (a missing embedding model) are said once, naming each capability.
 */
function collapseRepeats(items: TimelineItem[]): Shown[] {
  const out: Shown[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (item.kind === 'retry' && last?.kind === 'retry' && last.error === item.error) {
      out[out.length - 1] = { ...item, times: (last.times ?? 1) + 1 };
      continue;
    }
    const cause = item.kind === 'notice' ? noticeCause(item.message) : undefined;
    const same = cause ? out.findIndex((o) => o.kind === 'notice' && noticeCause(o.message) === cause) : -1;
    if (item.kind === 'notice' && same >= 0) {
      const first = out[same] as Extract<Shown, { kind: 'notice' }>;
      if (!first.source.split(' and ').includes(item.source)) out[same] = { ...first, source: `${first.source} and ${item.source}`, level: first.level === 'info' ? item.level : first.level };
      continue;
    }
    out.push(item);
  }
  return out;
}

/** A cause without its low-level code: "… not reachable (ECONNREFUSED)" and "… (UND_ERR_SOCKET)" are one cause. */
const causeOf = (text: string) => text.replace(/\s*\([A-Z][A-Z0-9_]+\)\s*$/, '').trim();

/** The same cause is said once: a failed run's reason already says what its retries and notices said. */
function sameCause(item: Shown, run: RunView): boolean {
  const reason = run.finished?.status === 'failed' && run.finished.reason ? causeOf(run.finished.reason) : undefined;
  if (!reason) return false;
  const raw = item.kind === 'retry' ? item.error : item.kind === 'notice' && item.level !== 'info' ? item.message : undefined;
  const text = raw === undefined ? undefined : causeOf(raw);
  return text !== undefined && text !== '' && (reason.includes(text) || text.includes(reason));
}

/** `waitingTools`: tools whose call waits for the user's approval right now; `details`: per-step token counts. */
export function RunTimeline({ run, waitingTools = [], details = false, onOpenSource }: { run: RunView; waitingTools?: string[]; details?: boolean; onOpenSource?: (passage: CitedPassage) => void }) {
  const streamed = run.items.some((item) => item.kind === 'text');
  const passages = passagesOf(run.items);
  const answer = run.finished?.answer ?? run.items.filter((i) => i.kind === 'text').map((i) => i.text).join('');
  const cited = citedNumbers(answer);
  const sources = passages.filter((p) => cited.has(p.citation.n));
  const shown = collapseRepeats(run.items);
  return (
    <div className="timeline">
      {shown.map((item, index) => {
        if (sameCause(item, run)) return null;
        switch (item.kind) {
          case 'text':
            return (
              <div key={index} className="answer" aria-label="Answer">
                <Markdown text={item.text} citations={passages} {...(onOpenSource ? { onCite: onOpenSource } : {})} />
              </div>
            );
          case 'tool':
            return <ToolCard key={item.callId} call={item} waiting={item.status === 'running' && waitingTools.includes(item.name)} />;
          case 'loop':
            return (
              <p key={index} className="loop-warning" role="alert">
                Loop detected ({item.pattern}, reflection {item.reflections}): {item.detail}
              </p>
            );
          case 'retry': {
            // Only the newest retry of a running run is still waiting; an earlier one (or a finished run's) is history.
            const pending = !run.finished && index === shown.length - 1;
            return (
              <p key={index} className="retry-line" role={pending ? 'status' : undefined}>
                {pending ? `The model did not answer${item.times ? ` (${item.times} tries)` : ''}; trying again in ${duration(item.delayMs)}: ${item.error}` : `The model did not answer${item.times ? ` ${item.times} times` : ''}, then did: ${item.error}`}
              </p>
            );
          }
          case 'notice':
            return (
              <p key={index} className={`notice notice-${item.level}`}>
                {item.source}: {item.message}
              </p>
            );
          case 'turn':
            return details ? (
              <p key={index} className="turn-usage" aria-label={`Step ${item.step} usage`}>
                step {item.step} · {item.usage.promptTokens.toLocaleString()} prompt + {item.usage.completionTokens.toLocaleString()} answer tokens · {duration(item.durationMs)}
              </p>
            ) : null;
          case 'compaction':
            return (
              <div key={index} className="compaction-marker" role="separator" aria-label="Context compacted">
                <span>context compacted — {item.message}</span>
              </div>
            );
        }
      })}
      {!streamed && run.finished?.answer && (
        <div className="answer" aria-label="Answer">
          <Markdown text={run.finished.answer} citations={passages} {...(onOpenSource ? { onCite: onOpenSource } : {})} />
        </div>
      )}
      {run.finished && onOpenSource && <SourcesList passages={sources} onOpen={onOpenSource} />}
    </div>
  );
}
