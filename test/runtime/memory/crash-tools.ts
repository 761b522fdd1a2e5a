// Tools for the crash test: in the child (HANG=1) both calls of step 2 hang so the process is killed mid-flight.
import fs from 'node:fs';
import type { Tool } from '../../../src/runtime/index.ts';

export function crashTools(options: { markFile: string; hang: boolean; onStarted?: (name: string) => void }): Tool[] {
  const hangIf = (condition: boolean, name: string) => {
    options.onStarted?.(name);
    return condition ? new Promise<never>(() => undefined) : undefined;
  };
  return [
    {
      name: 'lookup',
      description: 'Look a key up (read-only, safe to repeat)',
      parameters: { type: 'object', properties: { key: { type: 'string' } }, required: ['key'] },
      capability: 'read',
      source: { kind: 'builtin' },
      run: async (args) => {
        await hangIf(options.hang && args.key === 'b', 'lookup');
        return `looked up ${String(args.key)}`;
      },
    },
    {
      name: 'send_email',
      description: 'Send an email (a side effect that must not repeat)',
      parameters: { type: 'object', properties: { to: { type: 'string' } }, required: ['to'] },
      capability: 'write',
      parallelSafe: true,
      source: { kind: 'builtin' },
      run: async (args) => {
        fs.appendFileSync(options.markFile, `sent to ${String(args.to)}\n`);
        await hangIf(options.hang, 'send_email');
        return 'sent';
      },
    },
  ];
}

/** Step 1 looks up "a"; step 2 looks up "b" and sends an email at once; then the answer. */
export function crashScript(request: { messages: { role: string }[] }) {
  const results = request.messages.filter((m) => m.role === 'tool').length;
  if (results === 0) return { toolCalls: [{ name: 'lookup', arguments: { key: 'a' } }] };
  if (results === 1) return { toolCalls: [{ name: 'lookup', arguments: { key: 'b' } }, { name: 'send_email', arguments: { to: 'boss@example.com' } }] };
  return { content: 'All done.' };
}
