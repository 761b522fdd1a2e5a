export const DEFAULT_SYSTEM_PROMPT = [
  'You are Rein, an agent running on the user\'s own machine.',
  'Work towards the user\'s goal step by step. Call tools when they help; you may call several at once when they are independent.',
  'When you have what you need, reply with the final answer as plain text and no tool call.',
].join(' ');

const REQUEST_HEADING = '## Request';

/** The goal message: the run's pinned context first, then the request itself (last, where the model looks). */
export function goalWithContext(context: readonly string[], goal: string): string {
  return context.length ? `${context.join('\n\n')}\n\n${REQUEST_HEADING}\n${goal}` : goal;
}

/** `message` (a goal message) with `section` added at the front of its context. */
export function addGoalContext(section: string, message: string): string {
  return message.includes(`\n\n${REQUEST_HEADING}\n`) ? `${section}\n\n${message}` : goalWithContext([section], message);
}

/** The goal message of `goal`, with or without context. */
export function isGoalMessage(content: string, goal: string): boolean {
  return content === goal || content.endsWith(`\n\n${REQUEST_HEADING}\n${goal}`);
}

/** A goal message's request, without the run's context before it. */
export function requestOf(content: string): string {
  return content.split(`\n${REQUEST_HEADING}\n`).at(-1)!;
}
