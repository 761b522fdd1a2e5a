import { z } from 'zod';
import { positiveSeconds } from './common.ts';

const toolFilter = z.strictObject({
  allow: z.array(z.string().min(1)).optional(),
  deny: z.array(z.string().min(1)).optional(),
});

const serverName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$/, 'use letters, digits, "_" or "-" (at most 48)');

const serverCommon = {
  name: serverName,
  enabled: z.boolean().default(true),
  timeout_s: positiveSeconds.default(30),
  tools: toolFilter.optional(),
  /** Tools (as the server names them) always offered to the model, even when tools are limited per turn. */
  pinned_tools: z.array(z.string().min(1)).default([]),
  /** Believe the server's readOnlyHint (tool class `read`, allowed by default). Off: its tools count as `write`. */
  trust_annotations: z.boolean().default(false),
};

/** `auth: oauth` (alias `oidc`): the MCP authorization flow (OAuth 2.1 + PKCE); tokens live in the OS keychain. */
const oauthAuth = z.strictObject({
  type: z.enum(['oauth', 'oidc']),
  /** Pre-registered client; without it Rein uses the client metadata document (`client_metadata_url`) or registers itself. */
  client_id: z.string().min(1).optional(),
  /** Use `${env:NAME}`: the value stays out of rein.yaml. */
  client_secret: z.string().min(1).optional(),
  /** An https URL serving Rein's client ID metadata document (used when the authorization server supports it). */
  client_metadata_url: z.url({ protocol: /^https$/ }).optional(),
  /** Scopes to ask for when neither the server's challenge nor its metadata names any. */
  scopes: z.array(z.string().min(1)).optional(),
  /** Port of the 127.0.0.1 redirect listener used by `rein mcp login`. */
  redirect_port: z.number().int().min(1).max(65535).default(33418),
});

/** `auth: mtls`: a client certificate (PEM files); the key's passphrase via `${env:}` or the OS keychain. */
const mtlsAuth = z.strictObject({
  type: z.literal('mtls'),
  cert: z.string().min(1),
  key: z.string().min(1),
  ca: z.string().min(1).optional(),
  passphrase: z.string().optional(),
});

const serverAuth = z.preprocess(
  (value) => (typeof value === 'string' ? { type: value } : value),
  z.discriminatedUnion('type', [oauthAuth, mtlsAuth]),
);

export type McpOAuthConfig = z.infer<typeof oauthAuth>;
export type McpMtlsConfig = z.infer<typeof mtlsAuth>;
export type McpAuthConfig = McpOAuthConfig | McpMtlsConfig;

export const mcpServerSchema = z.union([
  z.strictObject({
    ...serverCommon,
    command: z.string().min(1),
    args: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
    cwd: z.string().optional(),
  }),
  z.strictObject({
    ...serverCommon,
    url: z.url({ protocol: /^https?$/ }),
    headers: z.record(z.string(), z.string()).default({}),
    /** `auto`: Streamable HTTP, falling back to the legacy SSE transport when the server answers 4xx. */
    transport: z.enum(['auto', 'streamable-http', 'sse']).default('auto'),
    /** `oauth` / `oidc` (sign-in) or `mtls` (client certificate); omitted: static `headers` only. */
    auth: serverAuth.optional(),
  }),
]);
