import type { RunEvent, UserAnswer, UserQuestion } from '../../../src/common/index.ts';
import { Runtime, type Asker, type ReinConfig, type Tool } from '../../../src/runtime/index.ts';

/** A payments tool that records every transfer it really made. */
export function transferTool(made: Record<string, unknown>[]): Tool {
  return {
    name: 'payments__transfer',
    description: 'Transfer money',
    parameters: { type: 'object', properties: { amount: { type: 'number' }, to: { type: 'string' } }, required: ['amount', 'to'] },
    capability: 'write',
    source: { kind: 'mcp', server: 'payments' },
    run: async (args) => {
      made.push(args);
      return `transferred ${String(args.amount)} to ${String(args.to)}`;
    },
  };
}

/** An asker that never answers by itself (like a dialog nobody looks at); records the questions. */
export function silentAsker(questions: UserQuestion[]): Asker {
  return (question, signal) => {
    questions.push(question);
    return new Promise<UserAnswer>((_resolve, reject) => signal?.addEventListener('abort', () => reject(new Error('question withdrawn')), { once: true }));
  };
}

export function answering(answer: UserAnswer, questions: UserQuestion[] = []): Asker {
  return (question) => {
    questions.push(question);
    return Promise.resolve(answer);
  };
}

export function runtimeFor(config: ReinConfig, tools: Tool[], ask?: Asker): Runtime {
  return new Runtime({ config, tools, retry: { retries: 0 }, ...(ask ? { ask } : {}) });
}

/** Resolves with the first event of `type` any run of `runtime` emits. */
export function nextEvent<T extends RunEvent['type']>(runtime: Runtime, type: T): Promise<Extract<RunEvent, { type: T }>> {
  return new Promise((resolve) => {
    const off = runtime.onEvent((event) => {
      if (event.type === type) {
        off();
        resolve(event as Extract<RunEvent, { type: T }>);
      }
    });
  });
}

export function ofType<T extends RunEvent['type']>(events: readonly RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}
