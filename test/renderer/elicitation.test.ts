import { describe, expect, it } from 'vitest';
import { fieldsOf, initialValues, validate } from '../../src/renderer/src/elicitation.ts';

const schema = {
  type: 'object',
  properties: {
    name: { type: 'string', title: 'Your name', minLength: 2, default: 'Ada' },
    email: { type: 'string', format: 'email' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
    subscribe: { type: 'boolean', default: true },
    color: { type: 'string', enum: ['red', 'green'], enumNames: ['Red', 'Green'] },
    size: { type: 'string', oneOf: [{ const: 's', title: 'Small' }, { const: 'l', title: 'Large' }], default: 'l' },
    tags: { type: 'array', items: { enum: ['a', 'b', 'c'] }, maxItems: 2 },
  },
  required: ['name', 'email', 'color'],
};

describe('elicitation form fields', () => {
  const fields = fieldsOf(schema);
  it('turns every property into a field with its kind, label, choices and constraints', () => {
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['name', 'text', true], ['email', 'text', true], ['age', 'integer', false], ['subscribe', 'boolean', false],
      ['color', 'choice', true], ['size', 'choice', false], ['tags', 'multi', false],
    ]);
    expect(fields[0]).toMatchObject({ label: 'Your name', minLength: 2 });
    expect(fields[1]).toMatchObject({ inputType: 'email' });
    expect(fields[4]!.choices).toEqual([{ value: 'red', label: 'Red' }, { value: 'green', label: 'Green' }]);
    expect(fields[5]!.choices![1]).toEqual({ value: 'l', label: 'Large' });
  });

  it('starts with the defaults shown, and validates before anything is sent', () => {
    const values = initialValues(fields);
    expect(values).toMatchObject({ name: 'Ada', subscribe: true, size: 'l', email: '', tags: [] });
    const bad = validate(fields, { ...values, email: 'nope', age: '1.5', tags: ['a', 'b', 'c'] });
    expect(bad.errors).toEqual({ email: 'enter an email address', age: 'enter a whole number', color: 'required', tags: 'choose at most 2' });
    const good = validate(fields, { ...values, email: 'ada@example.com', age: '36', color: 'green', tags: ['b'] });
    expect(good.errors).toEqual({});
    expect(good.content).toEqual({ name: 'Ada', email: 'ada@example.com', age: 36, subscribe: true, color: 'green', size: 'l', tags: ['b'] });
  });
});
