// JSON Schemas as llama.cpp's grammar engine takes them: tool parameter schemas (from MCP servers, skills) use
// keywords its GBNF subset does not know; they are reduced to what it does (types, properties, required, items,
// enum, const, oneOf), and whatever cannot be expressed becomes "any JSON value" rather than an error.
import { ANSWER_ACTION } from '../format-protocol.ts';
import type { JsonSchema, ToolSpec } from '../types.ts';

type Schema = Record<string, unknown>;

const SCALARS = ['string', 'number', 'integer', 'boolean', 'null'] as const;
const ANY: Schema = { oneOf: [{ type: [...SCALARS] }, { type: 'array' }, { type: 'object', additionalProperties: true }] };
const MAX_DEPTH = 8;

export function toGrammarSchema(schema: unknown, depth = 0): Schema {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema) || depth > MAX_DEPTH) return ANY;
  const s = schema as Schema;
  const description = typeof s.description === 'string' ? { description: s.description.slice(0, 300) } : {};
  if (isPrimitive(s.const)) return { const: s.const, ...description };
  if (Array.isArray(s.enum) && s.enum.length && s.enum.every(isPrimitive)) return { enum: s.enum, ...description };
  const alternatives = (Array.isArray(s.oneOf) ? s.oneOf : Array.isArray(s.anyOf) ? s.anyOf : undefined) as unknown[] | undefined;
  if (alternatives?.length) return { oneOf: alternatives.map((a) => toGrammarSchema(a, depth + 1)), ...description };
  if (Array.isArray(s.allOf) && s.allOf.length === 1) return toGrammarSchema(s.allOf[0], depth + 1);
  const types = (Array.isArray(s.type) ? s.type : [s.type ?? (s.properties ? 'object' : s.items ? 'array' : undefined)]).filter((t): t is string => typeof t === 'string');
  if (!types.length) return ANY;
  const parts = types.map((type) => typed(type, s, depth)).filter((p): p is Schema => p !== undefined);
  if (!parts.length) return ANY;
  if (parts.length === 1) return { ...parts[0], ...description };
  const scalars = parts.filter((p) => typeof p.type === 'string' && (SCALARS as readonly string[]).includes(p.type) && Object.keys(p).length === 1);
  if (scalars.length === parts.length) return { type: scalars.map((p) => p.type), ...description };
  return { oneOf: parts, ...description };
}

function typed(type: string, s: Schema, depth: number): Schema | undefined {
  if (type === 'string') {
    const format = ['date-time', 'time', 'date'].includes(s.format as string) ? { format: s.format } : {};
    return { type, ...format, ...(Object.keys(format).length ? {} : bounds(s, 'minLength', 'maxLength')) };
  }
  if (type === 'number' || type === 'integer' || type === 'boolean' || type === 'null') return { type };
  if (type === 'array') return { type, ...(s.items && typeof s.items === 'object' ? { items: toGrammarSchema(s.items, depth + 1) } : {}), ...bounds(s, 'minItems', 'maxItems') };
  if (type !== 'object') return undefined;
  const properties = typeof s.properties === 'object' && s.properties !== null ? (s.properties as Record<string, unknown>) : {};
  const keys = Object.keys(properties);
  if (!keys.length) return { type, additionalProperties: true };
  const required = Array.isArray(s.required) ? s.required.filter((k): k is string => typeof k === 'string' && keys.includes(k)) : [];
  return {
    type,
    properties: Object.fromEntries(keys.map((k) => [k, toGrammarSchema(properties[k], depth + 1)])),
    ...(required.length ? { required } : {}),
    // Only the declared properties: a model rambling into invented keys is what the grammar is there to stop.
    additionalProperties: false,
  };
}

function bounds(s: Schema, min: string, max: string): Schema {
  const out: Schema = {};
  if (Number.isInteger(s[min])) out[min] = s[min];
  if (Number.isInteger(s[max])) out[max] = s[max];
  return out;
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * The JSON tool protocol (format-protocol.ts) as a grammar: the reply is either the answer or one call of a listed
 * tool whose arguments match that tool's own schema.
 */
export function protocolGrammarSchema(tools: readonly ToolSpec[]): JsonSchema {
  const answer = { type: 'object', properties: { action: { const: ANSWER_ACTION }, answer: { type: 'string' } }, required: ['action', 'answer'], additionalProperties: false };
  const calls = tools.map((tool) => ({
    type: 'object',
    properties: { action: { const: tool.name }, arguments: toGrammarSchema(tool.parameters) },
    required: ['action', 'arguments'],
    additionalProperties: false,
  }));
  return { oneOf: [answer, ...calls] };
}
