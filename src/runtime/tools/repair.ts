// Turns a raw model tool call into a call the registry can run, repairing it when the fix is unambiguous.
import type { ModelToolCall } from '../model/index.ts';
import type { ToolRegistry } from './registry.ts';
import type { Tool } from './types.ts';
import { validateArgs } from './validate.ts';

export type ResolvedCall =
  | { ok: true; tool: Tool; args: Record<string, unknown>; repairs: string[] }
  | { ok: false; error: string; args: unknown };

export function resolveCall(call: ModelToolCall, registry: ToolRegistry): ResolvedCall {
  const repairs: string[] = [];
  const tool = findTool(call.name, registry, repairs);
  if (!tool) {
    const names = registry.names();
    const available = names.length ? `Available tools: ${names.join(', ')}` : 'No tools are available; answer directly.';
    return { ok: false, error: `unknown tool "${call.name}". ${available}`, args: call.arguments };
  }
  const parsed = parseArguments(call.arguments, tool, repairs);
  if (!parsed.ok) return { ok: false, error: `invalid arguments for ${tool.name}: ${parsed.error}`, args: call.arguments };
  const validation = validateArgs(tool.parameters, parsed.args);
  if (!validation.ok) {
    const expected = JSON.stringify(tool.parameters);
    return {
      ok: false,
      error: `invalid arguments for ${tool.name}: ${validation.errors.join('; ')}. Expected arguments matching: ${expected}`,
      args: parsed.args,
    };
  }
  if (validation.coerced) repairs.push('argument types coerced to the schema');
  return { ok: true, tool, args: validation.args, repairs };
}

function findTool(name: string, registry: ToolRegistry, repairs: string[]): Tool | undefined {
  const exact = registry.get(name);
  if (exact) return exact;
  const cleaned = name.trim().replace(/^(functions|tools|tool)[.:]/i, '').replace(/\(\)$/, '');
  const candidates = registry.list();
  const byName = unique(candidates.filter((t) => t.name.toLowerCase() === cleaned.toLowerCase()));
  const bySuffix = byName ?? unique(candidates.filter((t) => t.name.toLowerCase().endsWith(`__${cleaned.toLowerCase()}`)));
  if (bySuffix) repairs.push(`tool name "${name}" resolved to "${bySuffix.name}"`);
  return bySuffix;
}

function unique<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

type Parsed = { ok: true; args: Record<string, unknown> } | { ok: false; error: string };

function parseArguments(raw: unknown, tool: Tool, repairs: string[]): Parsed {
  if (raw === undefined || raw === null || raw === '') return { ok: true, args: {} };
  if (isRecord(raw)) return { ok: true, args: raw };
  if (typeof raw === 'string') {
    const text = raw.trim().replace(/^```(?:json)?\s*/i, '').replace(/\s*```$/, '');
    try {
      const value: unknown = JSON.parse(text);
      if (isRecord(value)) {
        repairs.push('arguments were a JSON string');
        return { ok: true, args: value };
      }
      return wrapSingle(value, tool, repairs);
    } catch {
      return wrapSingle(raw, tool, repairs);
    }
  }
  return wrapSingle(raw, tool, repairs);
}

/** A bare value is accepted only when the tool takes exactly one property. */
function wrapSingle(value: unknown, tool: Tool, repairs: string[]): Parsed {
  const properties = isRecord(tool.parameters.properties) ? Object.keys(tool.parameters.properties) : [];
  if (properties.length === 1) {
    repairs.push(`bare value wrapped as "${properties[0]}"`);
    return { ok: true, args: { [properties[0]!]: value } };
  }
  return { ok: false, error: `expected a JSON object of arguments, got ${JSON.stringify(value)?.slice(0, 200)}` };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
