import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../model/index.ts';

// Made at the first validation, not at start-up (each compiles Ajv's meta-schemas).
let ajvs: { strict: Ajv; coercing: Ajv } | undefined;
const validators = () =>
  (ajvs ??= {
    strict: new Ajv({ allErrors: true, strict: false, validateFormats: false }),
    coercing: new Ajv({ allErrors: true, strict: false, validateFormats: false, coerceTypes: 'array', useDefaults: true }),
  });
const cache = new WeakMap<Ajv, WeakMap<JsonSchema, ValidateFunction | null>>();

function compile(ajv: Ajv, schema: JsonSchema): ValidateFunction | null {
  let perAjv = cache.get(ajv);
  if (!perAjv) cache.set(ajv, (perAjv = new WeakMap()));
  if (!perAjv.has(schema)) {
    try {
      perAjv.set(schema, ajv.compile(schema));
    } catch {
      perAjv.set(schema, null); // a schema Ajv cannot compile is not enforced
    }
  }
  return perAjv.get(schema) ?? null;
}

export type ValidationResult =
  | { ok: true; args: Record<string, unknown>; coerced: boolean }
  | { ok: false; errors: string[] };

/** Validates tool arguments; when they fail, tries type coercion ("5" → 5) on a copy. */
export function validateArgs(schema: JsonSchema, args: Record<string, unknown>): ValidationResult {
  const { strict: strictAjv, coercing: coercingAjv } = validators();
  const strict = compile(strictAjv, schema);
  if (!strict || strict(args)) return { ok: true, args, coerced: false };
  const errors = (strict.errors ?? []).map(describe);
  const copy = structuredClone(args);
  const coercing = compile(coercingAjv, schema);
  if (coercing?.(copy)) return { ok: true, args: copy, coerced: true };
  return { ok: false, errors };
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replaceAll('/', '.') : 'arguments';
  if (error.keyword === 'required') return `missing required property "${String(error.params.missingProperty)}"`;
  if (error.keyword === 'additionalProperties') return `unexpected property "${String(error.params.additionalProperty)}"`;
  if (error.keyword === 'enum') return `${where} must be one of ${JSON.stringify(error.params.allowedValues)}`;
  return `${where} ${error.message ?? 'is invalid'}`;
}
