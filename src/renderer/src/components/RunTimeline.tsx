import type { RunView } from '../run-state.ts';
import { ToolCard } from './ToolCard.tsx';

export function RunTimeline({ run }: { run: RunView }) {
  const streamed = run.items.some((item) => item.kind === 'text');
  return (
    <div className="timeline">
      {run.items.map((item, index) => {
        switch (item.kind) {
          case 'text':
            return (
              <p key={index} className="answer">
                {item.text}
              </p>
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
        }
      })}
      {!streamed && run.finished?.answer && <p className="answer">{run.finished.answer}</p>}
    </div>
  );
}
