// Content-Security-Policy for the renderer. index.html carries the same policy as a meta tag,
// which is what applies to file:// loads; the header covers anything served over http(s).
import type { Session } from 'electron';
import { contentSecurityPolicy } from '../common/index.ts';

export const CONTENT_SECURITY_POLICY = contentSecurityPolicy("'self' ws://127.0.0.1:* http://127.0.0.1:*");

/** Production only: the Vite dev server needs inline scripts for React Refresh. */
export function installCspHeader(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.entries(details.responseHeaders ?? {}).filter(([key]) => key.toLowerCase() !== 'content-security-policy');
    callback({ responseHeaders: { ...Object.fromEntries(headers), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
