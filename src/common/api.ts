// The runtime API contract lives in ./api/ (one file per section).
export * from './api/index.ts';
