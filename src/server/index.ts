// `rein serve`: plain Node, never Electron; reaches the runtime only through src/runtime/index.ts.
export { startServer, type RunningServer, type ServeOptions } from './server.ts';
export { loadOrCreateToken, TOKEN_FILE } from './token.ts';
export { WS_PROTOCOL, WS_TOKEN_PREFIX } from './guards.ts';
export { DEFAULT_RENDERER_DIR } from './static-files.ts';
