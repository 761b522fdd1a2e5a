// The runtime API contract. The Electron preload exposes it over IPC; `rein serve` over HTTP + WebSocket.
// Pure types and method-name lists: no Node, no DOM.
export * from './approvals.ts';
export * from './config.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './knowledge.ts';
export * from './mcp.ts';
export * from './memory.ts';
export * from './models.ts';
export * from './questions.ts';
export * from './runs.ts';
export * from './schedules.ts';
export * from './skills.ts';
export * from './methods.ts';
export * from './client.ts';

