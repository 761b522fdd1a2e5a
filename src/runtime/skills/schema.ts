import { z } from 'zod';

export const SKILL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const name = z.string().regex(SKILL_NAME, 'use 1-64 lowercase letters, digits, "_" or "-", starting with a letter or digit');
const count = z.int().min(0).default(0);
const toolList = z.array(z.string().min(1)).default([]);
const test = z.strictObject({ input: z.unknown(), expected: z.unknown() });

/** The JSON skill document (the seed's format). */
export const jsonSkillSchema = z.strictObject({
  name,
  description: z.string().min(1),
  triggers: z.array(z.string().min(1)).default([]),
  instructions: z.string().min(1),
  required_mcp_tools: toolList,
  allowed_tools: toolList,
  approval_threshold_usd: z.number().min(0).optional(),
  success_count: count,
  failure_count: count,
  code: z.string().min(1).optional(),
  test: test.optional(),
  approved: z.boolean().default(true),
});

const listOf = (separator: RegExp) => z.union([z.array(z.string().min(1)), z.string().transform((s) => s.split(separator).map((p) => p.trim()).filter(Boolean))]);
/** Phrases: a YAML list or a comma-separated string. */
const phraseList = listOf(/,/);
/** Names: a YAML list or a comma/space-separated string (Agent Skills' `allowed-tools`). */
const nameList = listOf(/[,\s]+/);
const numberLike = z.union([z.number(), z.string().regex(/^\d+(\.\d+)?$/).transform(Number)]);

/** Rein's own keys inside SKILL.md's `metadata` (Agent Skills allows arbitrary metadata). */
const reinMetadata = z.looseObject({
  triggers: phraseList.optional(),
  required_mcp_tools: nameList.optional(),
  approval_threshold_usd: numberLike.optional(),
  success_count: numberLike.pipe(z.int().min(0)).optional(),
  failure_count: numberLike.pipe(z.int().min(0)).optional(),
  approved: z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]).optional(),
});

/** SKILL.md front matter (Agent Skills format). */
export const skillMdFrontMatterSchema = z.looseObject({
  name,
  description: z.string().min(1),
  'allowed-tools': nameList.optional(),
  metadata: reinMetadata.optional(),
});
