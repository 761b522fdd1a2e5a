import { ReinError } from '../base/index.ts';

/** No container engine answers, or one refused a command (run, build, inspect). */
export class ContainerEngineError extends ReinError {}

/** The subagent image cannot be built from this installation (no bundle, a stale one, a missing file). */
export class ContainerImageError extends ReinError {}
