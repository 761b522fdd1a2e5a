import type { ToolContext } from '../tools/index.ts';
import type { Capability } from './sandbox.ts';

/**
 * Guest capabilities for the named tools: each call goes through the running tool's guarded path
 * (`context.invoke`), so events, policy middleware and timeouts apply as for the model's own calls.
 */
export function guardedCapabilities(context: ToolContext, toolNames: readonly string[]): Record<string, Capability> {
  const capabilities: Record<string, Capability> = {};
  for (const name of toolNames) {
    capabilities[name] = async (args, signal) => {
      const outcome = await context.invoke(name, isRecord(args) ? args : {}, signal);
      if (!outcome.ok) throw new Error(outcome.error ?? `tool ${name} failed`);
      return parseOutput(outcome.output ?? '');
    };
  }
  return capabilities;
}

function parseOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
