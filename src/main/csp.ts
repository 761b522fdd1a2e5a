// Content-Security-Policy for the renderer. index.html carries a policy as a meta tag, which is what applies to
// file:// loads; this header covers anything served over http(s). The window talks to the host only through the
// preload's IPC (main holds the connection and its token), so the page itself connects nowhere but 'self'.
import type { Session } from 'electron';
import { contentSecurityPolicy } from '../common/index.ts';

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self'");

/** Production only: the Vite dev server needs inline scripts for React Refresh. */
export function installCspHeader(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.entries(details.responseHeaders ?? {}).filter(([key]) => key.toLowerCase() !== 'content-security-policy');
    callback({ responseHeaders: { ...Object.fromEntries(headers), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
