// Desktop app only: the runtime host's status from the preload (`window.reinHost`), as a banner text while the
// host is starting or being restarted. Undefined when connected, and always in the browser (`rein serve`).
import { useEffect, useState } from 'react';
import type { HostStatus } from '../../common/host-status.ts';

export function hostBannerText(status: HostStatus | undefined): string | undefined {
  if (!status || status.state === 'connected') return undefined;
  const detail = status.detail ? ` — ${status.detail}` : '';
  if (status.state === 'reconnecting') return `Reconnecting to Rein's runtime${status.attempt ? ` (attempt ${status.attempt})` : ''}…${detail}`;
  if (status.state === 'starting') return status.attempt ? `Rein's runtime could not start, retrying${detail}` : 'Starting Rein\'s runtime…';
  return 'Rein\'s runtime has stopped.';
}

export function useHostBanner(): string | undefined {
  const [status, setStatus] = useState<HostStatus>();
  useEffect(() => {
    const bridge = window.reinHost;
    if (!bridge) return;
    let live = true;
    const unsubscribe = bridge.subscribe((next) => { setStatus(next); });
    void bridge.current().then((first) => { if (live) setStatus((seen) => seen ?? first); });
    return () => {
      live = false;
      unsubscribe();
    };
  }, []);
  return hostBannerText(status);
}
