import { useEffect, useState } from 'react';
import type { ModelSource, RuntimeApi } from '../../common/index.ts';

/**
 * Every configured source with its models (the model picker, compare), re-read when the default model's state
 * changes (it came back, a model was pulled) and after a pull finishes.
 */
export function useModelSources(client: RuntimeApi, key: string): ModelSource[] {
  const [sources, setSources] = useState<ModelSource[]>([]);
  const [pulls, setPulls] = useState(0);
  useEffect(() => client.onEvent((event) => { if (event.type === 'model.pull.progress' && event.done) setPulls((n) => n + 1); }), [client]);
  useEffect(() => {
    let live = true;
    client.models.sources().then((found) => { if (live) setSources(found); }, () => { if (live) setSources([]); });
    return () => { live = false; };
  }, [client, key, pulls]);
  return sources;
}
