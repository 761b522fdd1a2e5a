import { z } from 'zod';
import { positiveSeconds } from './common.ts';

const effect = z.enum(['deny', 'ask', 'allow']);
const capability = z.enum(['read', 'write', 'network', 'execute']);
const oneOrMany = <T extends z.ZodType>(item: T) => z.union([item, z.array(item).min(1)]);
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** Tests on one argument value. Several operators in one predicate must all hold. No code is evaluated. */
export const predicateSchema = z
  .strictObject({
    eq: scalar.optional(),
    ne: scalar.optional(),
    gt: z.number().optional(),
    gte: z.number().optional(),
    lt: z.number().optional(),
    lte: z.number().optional(),
    in: z.array(scalar).optional(),
    not_in: z.array(scalar).optional(),
    contains: z.string().optional(),
    /** Command prefix, e.g. `rm -rf` (an argument array is joined with spaces). */
    starts_with: oneOrMany(z.string().min(1)).optional(),
    /** Path glob: `*` within one folder, `**` across folders. */
    glob: oneOrMany(z.string().min(1)).optional(),
    /** Host of a URL argument, glob allowed: `*.example.com`. */
    host: oneOrMany(z.string().min(1)).optional(),
    exists: z.boolean().optional(),
  })
  .refine((p) => Object.values(p).some((v) => v !== undefined), { message: 'a predicate needs at least one operator (eq, gt, glob, …)' });

const ARG_PATH = /^args(\.[A-Za-z0-9_-]+)+$/;
const whenSchema = z.record(z.string(), predicateSchema).superRefine((when, ctx) => {
  for (const key of Object.keys(when)) {
    if (!ARG_PATH.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: `"${key}": argument predicates are keyed like "args.amount" or "args.payment.to"` });
  }
});

export const policyRuleSchema = z.strictObject({
  /** How approvals, Insights and the audit log name the rule (default: its place, `policy.rules[2]`). */
  name: z.string().trim().min(1).max(80).optional(),
  effect,
  /** Tool name glob(s): `fs__write_file`, `payments__*`, `*`. */
  tool: oneOrMany(z.string().min(1)).default('*'),
  capability: oneOrMany(capability).optional(),
  /** Every predicate must hold for the rule to match. */
  when: whenSchema.optional(),
  /** Shown to the user (ask) or the model (deny). */
  reason: z.string().optional(),
});

const decision = z.enum(['allow', 'ask', 'deny']);

/** From strictest to loosest. */
export const MODEL_EGRESS = ['local_only', 'allow_list', 'any'] as const;
export type ModelEgress = (typeof MODEL_EGRESS)[number];

export const policySchema = z.strictObject({
  /** Ordered rules; any matching deny wins, then ask, then allow. */
  rules: z.array(policyRuleSchema).default([]),
  /** What happens when no rule matches, by the tool's capability class. */
  default: z
    .strictObject({
      read: decision.default('allow'),
      write: decision.default('ask'),
      network: decision.default('ask'),
      execute: decision.default('ask'),
    })
    .prefault({}),
  /**
   * The agent's own notes (the `remember` tool): `allow` (default) writes them without asking — each is audited and
   * can be deleted in Memory — or `ask` like any other write. A rule of yours for `remember` still wins.
   */
  notes: z.enum(['allow', 'ask']).default('allow'),
  /** Unanswered approvals are denied after this long. */
  approval_timeout_s: positiveSeconds.default(300),
  /** "Allow always" grants expire after this long; unset: never (the approver may still give an expiry). */
  always_ttl_s: positiveSeconds.optional(),
  budgets: z
    .strictObject({
      max_tokens: z.int().positive().optional(),
      max_tool_calls: z.int().positive().optional(),
      /** Per tool name (glob allowed), e.g. `{ "fs__write_file": 5 }`. */
      max_calls_per_tool: z.record(z.string().min(1), z.int().positive()).default({}),
      max_wall_time_s: positiveSeconds.optional(),
    })
    .prefault({}),
  /** No network from the runtime except the model host, configured MCP URLs and `allow_hosts`. */
  offline: z.boolean().default(true),
  /** Extra `host` or `host:port` entries the runtime may reach in offline mode. */
  allow_hosts: z.array(z.string().min(1)).default([]),
  /**
   * Where models may run: `local_only` (default: this machine, loopback), `allow_list` (also the hosts in
   * allowed_model_hosts) or `any` (cloud providers too). Checked when the config loads; a machine policy can tighten it.
   */
  model_egress: z.enum(MODEL_EGRESS).default('local_only'),
  /** `host` or `host:port` entries a model may be on under model_egress: allow_list (compared after DNS resolution). */
  allowed_model_hosts: z.array(z.string().min(1)).default([]),
});


export type PolicyConfig = z.output<typeof policySchema>;
export type PolicyRule = z.output<typeof policyRuleSchema>;
export type PolicyRuleInput = z.input<typeof policyRuleSchema>;
export type Predicate = z.output<typeof predicateSchema>;
