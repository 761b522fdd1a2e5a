// The desktop shell's view of its runtime host, pushed to the renderer so the UI can say "reconnecting".

export type HostState = 'starting' | 'connected' | 'reconnecting' | 'stopped';

export interface HostStatus {
  state: HostState;
  /** Why the host is not connected (its last words on stderr, or how it ended). */
  detail?: string;
  /** Restart attempts since the host was last healthy. */
  attempt?: number;
}

/** Main → renderer push of HostStatus. */
export const HOST_STATUS_CHANNEL = 'rein:host-status';
/** Renderer → main: the current HostStatus. */
export const HOST_STATUS_QUERY = 'rein:host-status?';

/** What the preload exposes as `window.reinHost` (desktop app only). */
export interface HostStatusBridge {
  current(): Promise<HostStatus>;
  subscribe(listener: (status: HostStatus) => void): () => void;
}
