import { useEffect, useState } from 'react';
import type { RuntimeApi } from '../../common/index.ts';

/** Names of the installed models, re-read when the current model changes (e.g. after a pull). */
export function useInstalledModels(client: RuntimeApi, current: string | undefined): string[] {
  const [names, setNames] = useState<string[]>([]);
  useEffect(() => {
    client.models.list().then((list) => { setNames(list.map((m) => m.name)); }, () => { setNames([]); });
  }, [client, current]);
  return names;
}
