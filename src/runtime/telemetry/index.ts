// OpenTelemetry export (traces and metrics after the GenAI conventions). Nothing here loads the OpenTelemetry
// packages: the extension loads them in start(), only when telemetry.enabled.
export { TelemetryExtension, type TelemetryOptions } from './extension.ts';
export { readTelemetryStatus, STATUS_FILE, type TelemetryProcessStatus, type SignalCounts } from './status.ts';
export { GEN_AI, OPERATION, REIN, METRIC, SPAN_EVENT, ERROR_TYPE } from './conventions.ts';
