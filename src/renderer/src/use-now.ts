import { useEffect, useState } from 'react';

/** The current time, updated every `ms` while `active` (elapsed-time counters). */
export function useNow(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => { setNow(Date.now()); }, ms);
    return () => { clearInterval(timer); };
  }, [active, ms]);
  return now;
}
