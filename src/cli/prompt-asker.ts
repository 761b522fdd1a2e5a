// Answers MCP elicitation and sampling-consent questions at the terminal (tty-asker.ts queues the questions).
import readline from 'node:readline/promises';
import type { UserAnswer, UserQuestion } from '../common/index.ts';

interface FieldSchema {
  type?: string;
  title?: string;
  description?: string;
  default?: unknown;
  enum?: unknown[];
}

export async function answerAtTerminal(question: UserQuestion, input: NodeJS.ReadableStream, output: NodeJS.WritableStream, signal?: AbortSignal): Promise<UserAnswer> {
  const rl = readline.createInterface({ input, output, terminal: false });
  const prompt = (text: string) => rl.question(text, { signal: signal ?? new AbortController().signal });
  try {
    output.write(`\n? ${question.title}\n${question.message}\n`);
    if (question.kind !== 'elicitation') {
      return /^y(es)?$/i.test((await prompt('Allow? [y/N] ')).trim()) ? { action: 'accept', by: 'cli' } : { action: 'decline', by: 'cli' };
    }
    if (/^n(o)?$/i.test((await prompt('Answer? [Y/n] ')).trim())) return { action: 'decline', by: 'cli' };
    const content: Record<string, unknown> = {};
    const properties = (question.schema?.properties ?? {}) as Record<string, FieldSchema>;
    for (const [name, field] of Object.entries(properties)) {
      const value = await askField(name, field, prompt, output);
      if (value !== undefined) content[name] = value;
    }
    return { action: 'accept', content, by: 'cli' };
  } catch {
    return { action: 'cancel', reason: 'the question was cancelled', by: 'cli' };
  } finally {
    rl.close();
  }
}

async function askField(name: string, field: FieldSchema, prompt: (text: string) => Promise<string>, output: NodeJS.WritableStream): Promise<unknown> {
  const hint = [field.enum ? field.enum.join('/') : field.type, field.default !== undefined ? `default ${JSON.stringify(field.default)}` : '']
    .filter(Boolean)
    .join(', ');
  for (;;) {
    const raw = (await prompt(`${field.title ?? name}${field.description ? ` — ${field.description}` : ''} (${hint}): `)).trim();
    if (raw === '') return field.default;
    const value = convert(raw, field);
    if (value !== undefined) return value;
    output.write(`  expected ${hint}\n`);
  }
}

function convert(raw: string, field: FieldSchema): unknown {
  if (field.enum) return field.enum.map(String).includes(raw) ? raw : undefined;
  if (field.type === 'boolean') return /^(y|yes|true)$/i.test(raw) ? true : /^(n|no|false)$/i.test(raw) ? false : undefined;
  if (field.type === 'number' || field.type === 'integer') {
    const n = Number(raw);
    return Number.isFinite(n) && (field.type === 'number' || Number.isInteger(n)) ? n : undefined;
  }
  return raw;
}
