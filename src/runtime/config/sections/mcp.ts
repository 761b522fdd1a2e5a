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
  }),
]);
