// Loads data through the API for a view, with the states every panel shows (loading, error, unavailable).
import { useCallback, useEffect, useState } from 'react';
import { errorText, unavailableCapability } from './client.ts';

export type Load<T> =
  | { state: 'loading' }
  | { state: 'ready'; data: T }
  | { state: 'unavailable'; message: string }
  | { state: 'error'; message: string };

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): [Load<T>, () => void] {
  const [result, setResult] = useState<Load<T>>({ state: 'loading' });
  const stable = useCallback(load, deps);
  const reload = useCallback(() => {
    stable().then(
      (data) => { setResult({ state: 'ready', data }); },
      (error: unknown) => {
        setResult(unavailableCapability(error) ? { state: 'unavailable', message: errorText(error) } : { state: 'error', message: errorText(error) });
      },
    );
  }, [stable]);
  useEffect(reload, [reload]);
  return [result, reload];
}
