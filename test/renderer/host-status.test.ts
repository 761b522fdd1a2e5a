// The desktop banner text for the host's status.
import { describe, expect, it } from 'vitest';
import { hostBannerText } from '../../src/renderer/src/host-status.ts';

describe('host banner', () => {
  it('is silent when connected (and in the browser, where there is no status)', () => {
    expect(hostBannerText(undefined)).toBeUndefined();
    expect(hostBannerText({ state: 'connected' })).toBeUndefined();
  });

  it('says reconnecting with the attempt and why, and names a start failure', () => {
    expect(hostBannerText({ state: 'reconnecting', attempt: 2, detail: 'the host exited with code 1' })).toBe("Reconnecting to Rein's runtime (attempt 2)… — the host exited with code 1");
    expect(hostBannerText({ state: 'starting' })).toBe("Starting Rein's runtime…");
    expect(hostBannerText({ state: 'starting', attempt: 1, detail: 'rein.yaml: model.name must be a string' })).toContain('could not start, retrying — rein.yaml');
    expect(hostBannerText({ state: 'stopped' })).toBe("Rein's runtime has stopped.");
  });
});
