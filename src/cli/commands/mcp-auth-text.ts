// What `rein mcp login` says, the same whether it signs in in-process or through the running host.
import type { McpAuthStatus } from '../../common/index.ts';

/** How long `rein mcp login` waits for the browser to come back. */
export const LOGIN_TIMEOUT_S = 300;

export function signInPrompt(server: string, url: string): string {
  return `Sign in to "${server}" in your browser (opening it now); if it does not open, visit:\n\n  ${url}\n\nwaiting for the sign-in…\n`;
}

export function signedInLine(server: string, auth: Pick<McpAuthStatus, 'subject' | 'expiresAt'> | undefined, tools: number): string {
  const who = auth?.subject ? ` as ${auth.subject}` : '';
  const until = auth?.expiresAt ? ` (token valid until ${auth.expiresAt}, refreshed automatically when possible)` : '';
  return `signed in to ${server}${who}${until}; ${tools} tool${tools === 1 ? '' : 's'}\n`;
}
