import { ReinError } from '../base/index.ts';

/** A subagent could not be started, crashed, timed out or was refused (depth, role). */
export class SubagentError extends ReinError {}

/** `rein mcp` could not serve (bad port, token file). */
export class McpServeError extends ReinError {}
