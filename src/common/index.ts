export * from './events.ts';
export * from './api.ts';
export * from './questions.ts';
export * from './csp.ts';
export * from './event-text.ts';
export * from './terminal-text.ts';
