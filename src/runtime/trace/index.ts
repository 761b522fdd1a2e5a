export { RunEventStream, type EventListener } from './event-stream.ts';
export { writeTrace } from './jsonl-trace.ts';
