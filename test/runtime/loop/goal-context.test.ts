import { describe, expect, it } from 'vitest';
import { addGoalContext, goalWithContext, isGoalMessage, requestOf } from '../../../src/runtime/loop/index.ts';

describe('goal message with run context', () => {
  it('puts the context first and the request last, and gets the request back', () => {
    const message = goalWithContext(['## Skills\n- refund: Refund an order'], 'refund order 7');
    expect(message).toBe('## Skills\n- refund: Refund an order\n\n## Request\nrefund order 7');
    const withNotes = addGoalContext('Notes from memory that may help:\n- [note 1] x', message);
    expect(withNotes.startsWith('Notes from memory')).toBe(true);
    expect(withNotes.endsWith('## Request\nrefund order 7')).toBe(true);
    for (const m of [message, withNotes]) {
      expect(requestOf(m)).toBe('refund order 7');
      expect(isGoalMessage(m, 'refund order 7')).toBe(true);
      expect(isGoalMessage(m, 'order 7')).toBe(false);
    }
  });

  it('leaves a goal without context as it is', () => {
    expect(goalWithContext([], 'hello')).toBe('hello');
    expect(requestOf('hello')).toBe('hello');
    expect(addGoalContext('ctx', 'hello')).toBe('ctx\n\n## Request\nhello');
  });
});
