// Header values of an MCP server added in the desktop app (API tokens) are kept encrypted, never in rein.yaml:
// each is stored in the secret store and replaced by `${env:NAME}`, which the host's environment resolves.

export interface SecretSink {
  set(name: string, value: string): void;
}

const ENV_REFERENCE = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export function secretName(server: string, header: string): string {
  return `REIN_MCP_${server}_${header}`.toUpperCase().replace(/[^A-Z0-9_]/g, '_').slice(0, 64);
}

/** The `mcp.add` arguments with header values sealed; anything that is not an HTTP spec with headers passes through. */
export function sealMcpHeaders(args: unknown, secrets: SecretSink, env: NodeJS.ProcessEnv): unknown {
  if (!Array.isArray(args)) return args;
  const [spec, ...rest] = args as unknown[];
  if (typeof spec !== 'object' || spec === null) return args;
  const { name, headers } = spec as { name?: unknown; headers?: unknown };
  if (typeof name !== 'string' || typeof headers !== 'object' || headers === null) return args;
  const sealed = Object.fromEntries(
    Object.entries(headers as Record<string, unknown>).map(([header, value]) => {
      if (typeof value !== 'string' || ENV_REFERENCE.test(value)) return [header, value];
      const secret = secretName(name, header);
      secrets.set(secret, value);
      env[secret] = value;
      return [header, `\${env:${secret}}`];
    }),
  );
  return [{ ...spec, headers: sealed }, ...rest];
}
