import { citationsOf } from '../../citations.tsx';
import { Markdown } from '../../markdown.tsx';
import type { RunView } from '../../run-state.ts';
import { ToolCard } from './ToolCard.tsx';

export function RunTimeline({ run }: { run: RunView }) {
  const streamed = run.items.some((item) => item.kind === 'text');
  const citations = citationsOf(run.items);
  return (
    <div className="timeline" aria-live="polite">
      {run.items.map((item, index) => {
        switch (item.kind) {
          case 'text':
            return (
              <div key={index} className="answer" aria-label="Answer">
                <Markdown text={item.text} citations={citations} />
              </div>
            );
          case 'tool':
            return <ToolCard key={item.callId} call={item} />;
          case 'loop':
            return (
              <p key={index} className="loop-warning" role="alert">
                Loop detected ({item.pattern}, reflection {item.reflections}): {item.detail}
              </p>
            );
          case 'retry':
            return (
              <p key={index} className="retry-line">
                Model call failed, retry {item.attempt} in {item.delayMs} ms: {item.error}
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
