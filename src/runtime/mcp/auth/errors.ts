// Sign-in and certificate failures, each naming what is wrong and what to do about it.
import { ReinError } from '../../base/index.ts';

/** The server needs a sign-in that cannot happen here (headless run): the user runs `rein mcp login`. */
export class SignInNeededError extends ReinError {
  constructor(server: string) {
    super(`sign-in needed: run \`rein mcp login ${server}\``);
  }
}

/** OAuth sign-in failed: metadata not found, registration refused, consent denied, refresh failed, scope never granted. */
export class McpAuthError extends ReinError {}
