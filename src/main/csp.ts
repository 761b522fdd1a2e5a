// Content-Security-Policy for the renderer. index.html carries the same policy as a meta tag,
// which is what applies to file:// loads; the header covers anything served over http(s).
import type { Session } from 'electron';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self' ws://127.0.0.1:* http://127.0.0.1:*",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Production only: the Vite dev server needs inline scripts for React Refresh. */
export function installCspHeader(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = Object.entries(details.responseHeaders ?? {}).filter(([key]) => key.toLowerCase() !== 'content-security-policy');
    callback({ responseHeaders: { ...Object.fromEntries(headers), 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
}
