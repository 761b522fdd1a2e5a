// The built-in `run_js` tool: the model computes in the sandbox; the result is the returned JSON value
// plus the console output.
import type { Tool } from '../tools/index.ts';
import { guardedCapabilities } from './capabilities.ts';
import type { Sandbox } from './sandbox.ts';

/** Extra time the guard allows beyond the sandbox's wall clock, so the sandbox's clearer error wins. */
const GUARD_MARGIN_MS = 5_000;

export function runJsTool(sandbox: Sandbox, options: { wallTimeoutMs: number; tools: readonly string[] }): Tool {
  const toolList = options.tools.length ? ` It may call these tools as \`await tools.<name>(args)\`: ${options.tools.join(', ')}.` : '';
  return {
    name: 'run_js',
    description:
      'Run JavaScript in an isolated sandbox (no network, files or process) and get the value it returns. ' +
      '`code` is the body of an async function with `input` in scope: e.g. `return input.items.reduce((a, b) => a + b, 0)`. ' +
      `console.log output is returned too.${toolList}`,
    parameters: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'function body; use `return` to give the result' },
        input: { description: 'JSON data available to the code as `input`' },
      },
      required: ['code'],
    },
    // Sandboxed: no host access, so policy treats it as read; every tool it calls is checked on its own.
    capability: 'read',
    risk: 'execute',
    source: { kind: 'builtin' },
    parallelSafe: true,
    timeoutMs: options.wallTimeoutMs + GUARD_MARGIN_MS,
    run: async (args, context) => {
      const result = await sandbox.run({
        code: String(args.code),
        input: args.input,
        capabilities: guardedCapabilities(context, options.tools),
        signal: context.signal,
      });
      return result.console ? { value: result.value, console: result.console } : { value: result.value };
    },
  };
}
