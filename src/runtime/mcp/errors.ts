import { ReinError } from '../base/index.ts';

/** An MCP server could not be started, crashed, or broke the protocol. */
export class McpServerError extends ReinError {}

/** The server answered a tool call with `isError: true`; the text goes back to the model. */
export class McpToolError extends ReinError {}

/** A Claude-Desktop/Cursor style JSON file could not be imported. */
export class McpImportError extends ReinError {}
