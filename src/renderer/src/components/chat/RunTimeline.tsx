import { citationsOf } from '../../citations.tsx';
import { Markdown } from '../../markdown.tsx';
import type { RunView, TimelineItem } from '../../run-state.ts';
import { ToolCard } from './ToolCard.tsx';

/** Identical retries in a row (e.g. Ollama down) collapse into one line with their count. */
function collapseRetries(items: TimelineItem[]): (TimelineItem & { times?: number })[] {
  const out: (TimelineItem & { times?: number })[] = [];
  for (const item of items) {
    const last = out.at(-1);
    if (item.kind === 'retry' && last?.kind === 'retry' && last.error === item.error) out[out.length - 1] = { ...item, times: (last.times ?? 1) + 1 };
    else out.push(item);
  }
  return out;
}

/** `waitingTools`: tools whose call waits for the user's approval right now. */
export function RunTimeline({ run, waitingTools = [] }: { run: RunView; waitingTools?: string[] }) {
  const streamed = run.items.some((item) => item.kind === 'text');
  const citations = citationsOf(run.items);
  return (
    <div className="timeline">
      {collapseRetries(run.items).map((item, index) => {
        switch (item.kind) {
          case 'text':
            return (
              <div key={index} className="answer" aria-label="Answer">
                <Markdown text={item.text} citations={citations} />
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
          case 'retry':
            return (
              <p key={index} className="retry-line">
                Model call failed{item.times ? ` ${item.times} times` : ''}, retry {item.attempt} in {item.delayMs} ms: {item.error}
              </p>
            );
          case 'notice':
            return (
              <p key={index} className={`notice notice-${item.level}`}>
                {item.source}: {item.message}
              </p>
            );
          case 'turn':
            return (
              <p key={index} className="turn-usage" aria-label={`Step ${item.step} usage`}>
                step {item.step} · {item.usage.promptTokens} + {item.usage.completionTokens} tokens · {(item.durationMs / 1000).toFixed(1)}s
              </p>
            );
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
          <Markdown text={run.finished.answer} citations={citations} />
        </div>
      )}
    </div>
  );
}
