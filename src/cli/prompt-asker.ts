// Answers MCP elicitation and sampling-consent questions at the terminal (tty-asker.ts queues the questions).
import readline from 'node:readline/promises';
import type { UserAnswer, UserQuestion } from '../common/index.ts';
import { escapeForTerminal, escapeLine } from '../common/terminal-text.ts';

/** Longer texts show their start and say how much is hidden; `v` shows all of it before the answer. */
const SHOWN_CHARS = 2000;

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
    const message = escapeForTerminal(question.message);
    const hidden = question.kind === 'elicitation' ? 0 : message.length - SHOWN_CHARS;
    output.write(`\n? ${escapeLine(question.title)}\n${hidden > 0 ? `${message.slice(0, SHOWN_CHARS)}\n… ${hidden} more characters hidden (type v to see all of it)` : message}\n`);
    if (question.kind !== 'elicitation') {
      for (;;) {
        const reply = (await prompt(hidden > 0 ? 'Allow? [y/N/v] ' : 'Allow? [y/N] ')).trim();
        if (hidden > 0 && /^v(iew)?$/i.test(reply)) {
          output.write(`${message}\n`);
          continue;
        }
        return /^y(es)?$/i.test(reply) ? { action: 'accept', by: 'cli' } : { action: 'decline', by: 'cli' };
      }
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
  const hint = escapeLine([field.enum ? field.enum.join('/') : field.type, field.default !== undefined ? `default ${JSON.stringify(field.default)}` : '']
    .filter(Boolean)
    .join(', '));
  for (;;) {
    const raw = (await prompt(`${escapeLine(field.title ?? name)}${field.description ? ` — ${escapeLine(field.description)}` : ''} (${hint}): `)).trim();
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
