// An MCP elicitation's requested schema (a flat object of primitive fields) as form fields: kind, label, default,
// constraints, and validation of what the user typed. Pure, so it is unit-tested without a browser.

export interface Choice {
  value: string;
  label: string;
}

export interface Field {
  name: string;
  label: string;
  description?: string;
  kind: 'text' | 'number' | 'integer' | 'boolean' | 'choice' | 'multi';
  required: boolean;
  /** For text: the HTML input type for its format (email, url, date, datetime-local). */
  inputType?: string;
  format?: string;
  choices?: Choice[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
}

/** What the form holds per field: strings for inputs, booleans for checkboxes, string lists for multi-selects. */
export type FormValue = string | boolean | string[];

type Schema = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' ? v : undefined);

function choicesOf(schema: Schema): Choice[] | undefined {
  const list = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(list) && list.every((c) => 'const' in c)) return list.map((c) => ({ value: String(c.const), label: str(c.title) ?? String(c.const) }));
  if (Array.isArray(schema.enum)) {
    const names = Array.isArray(schema.enumNames) ? (schema.enumNames as unknown[]) : [];
    return schema.enum.map((v, i) => ({ value: String(v), label: str(names[i]) ?? String(v) }));
  }
  return undefined;
}

const INPUT_TYPES: Record<string, string> = { email: 'email', uri: 'url', date: 'date', 'date-time': 'datetime-local' };

export function fieldsOf(schema: Schema | undefined): Field[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set(Array.isArray(schema?.required) ? (schema.required as string[]) : []);
  return Object.entries(properties).map(([name, prop]) => {
    const base = { name, label: str(prop.title) ?? name, required: required.has(name), ...(str(prop.description) ? { description: str(prop.description)! } : {}), ...(prop.default !== undefined ? { default: prop.default } : {}) };
    if (prop.type === 'array') {
      const items = (prop.items ?? {}) as Schema;
      return { ...base, kind: 'multi', choices: choicesOf(items) ?? [], ...limits(prop, 'minItems', 'maxItems') };
    }
    const choices = choicesOf(prop);
    if (choices) return { ...base, kind: 'choice', choices };
    if (prop.type === 'boolean') return { ...base, kind: 'boolean' };
    if (prop.type === 'number' || prop.type === 'integer') return { ...base, kind: prop.type, ...limits(prop, 'minimum', 'maximum') };
    const format = str(prop.format);
    return { ...base, kind: 'text', ...(format ? { format, inputType: INPUT_TYPES[format] ?? 'text' } : {}), ...limits(prop, 'minLength', 'maxLength') };
  });
}

function limits<A extends string, B extends string>(prop: Schema, a: A, b: B): Partial<Record<A | B, number>> {
  const out: Partial<Record<A | B, number>> = {};
  if (num(prop[a]) !== undefined) out[a] = num(prop[a])!;
  if (num(prop[b]) !== undefined) out[b] = num(prop[b])!;
  return out;
}

/** The form's starting values: each field's default, shown (and editable) before anything is sent. */
export function initialValues(fields: Field[]): Record<string, FormValue> {
  return Object.fromEntries(fields.map((f) => [f.name, initial(f)]));
}

function initial(field: Field): FormValue {
  const d = field.default;
  if (field.kind === 'boolean') return d === true;
  if (field.kind === 'multi') return Array.isArray(d) ? d.map(String) : [];
  if (d === undefined || d === null) return '';
  if (field.inputType === 'datetime-local' && typeof d === 'string') return d.slice(0, 16);
  return String(d);
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Per field: an error message, or the value to send (undefined = leave the field out). */
export function validate(fields: Field[], values: Record<string, FormValue>): { errors: Record<string, string>; content: Record<string, unknown> } {
  const errors: Record<string, string> = {};
  const content: Record<string, unknown> = {};
  for (const field of fields) {
    const raw = values[field.name];
    const result = check(field, raw);
    if (result instanceof Invalid) errors[field.name] = result.error;
    else if (result !== undefined) content[field.name] = result;
  }
  return { errors, content };
}

class Invalid {
  readonly error: string;
  constructor(error: string) {
    this.error = error;
  }
}

function check(field: Field, raw: FormValue | undefined): unknown {
  if (field.kind === 'boolean') return raw === true;
  if (field.kind === 'multi') {
    const list = Array.isArray(raw) ? raw : [];
    if (field.required && list.length === 0) return new Invalid('choose at least one');
    if (field.minItems !== undefined && list.length < field.minItems) return new Invalid(`choose at least ${field.minItems}`);
    if (field.maxItems !== undefined && list.length > field.maxItems) return new Invalid(`choose at most ${field.maxItems}`);
    return list;
  }
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return field.required ? new Invalid('required') : undefined;
  if (field.kind === 'number' || field.kind === 'integer') {
    const n = Number(text);
    if (!Number.isFinite(n)) return new Invalid('enter a number');
    if (field.kind === 'integer' && !Number.isInteger(n)) return new Invalid('enter a whole number');
    if (field.minimum !== undefined && n < field.minimum) return new Invalid(`at least ${field.minimum}`);
    if (field.maximum !== undefined && n > field.maximum) return new Invalid(`at most ${field.maximum}`);
    return n;
  }
  if (field.kind === 'choice') return field.choices?.some((c) => c.value === text) ? text : new Invalid('choose one of the options');
  if (field.minLength !== undefined && text.length < field.minLength) return new Invalid(`at least ${field.minLength} characters`);
  if (field.maxLength !== undefined && text.length > field.maxLength) return new Invalid(`at most ${field.maxLength} characters`);
  if (field.format === 'email' && !EMAIL.test(text)) return new Invalid('enter an email address');
  if (field.format === 'uri' && !URL.canParse(text)) return new Invalid('enter a full URL (https://…)');
  if (field.format === 'date-time') return new Date(text).toISOString();
  return text;
}
