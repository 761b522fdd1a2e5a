/** The host's HTTP port when it is free (else any free port); light, for `rein --help`. */
export const DEFAULT_PORT = 8765;
