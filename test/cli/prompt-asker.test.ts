// The terminal asker: yes/no consent and elicitation forms with defaults, typed values and re-asking.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTtyAsker as promptAsker } from '../../src/cli/tty-asker.ts';
import type { UserQuestion } from '../../src/common/index.ts';

/** Types each answer once the asker has printed its next prompt. */
function terminal(answers: string[]) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
    if (/(\] |\): )$/.test(printed) && answers.length) input.write(`${answers.shift()}\n`);
  });
  return { input, output, printed: () => printed };
}

const question = (kind: UserQuestion['kind'], schema?: Record<string, unknown>): UserQuestion => ({ id: 'q', kind, title: 'Title', message: 'Message', source: 'srv', ...(schema ? { schema } : {}) });

describe('promptAsker', () => {
  it('accepts sampling only on an explicit yes', async () => {
    const yes = terminal(['y']);
    expect(await promptAsker(yes.input, yes.output)(question('sampling'))).toMatchObject({ action: 'accept' });
    const no = terminal(['']);
    expect(await promptAsker(no.input, no.output)(question('sampling'))).toMatchObject({ action: 'decline' });
  });

  it('fills an elicitation form, using defaults and asking again on bad input', async () => {
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', default: 'Ada' }, age: { type: 'integer' }, pet: { type: 'string', enum: ['cat', 'dog'] }, ok: { type: 'boolean' } },
    };
    const t = terminal(['', '', 'ten', '10', 'dog', 'yes']);
    const answer = await promptAsker(t.input, t.output)(question('elicitation', schema));
    expect(answer).toEqual({ action: 'accept', content: { name: 'Ada', age: 10, pet: 'dog', ok: true }, by: 'cli' });
    expect(t.printed()).toContain('expected integer');
  });

  it('declines an elicitation when the user says no', async () => {
    const t = terminal(['n']);
    expect(await promptAsker(t.input, t.output)(question('elicitation', { type: 'object', properties: {} }))).toMatchObject({ action: 'decline' });
  });
});
