import { ReinError } from '../base/index.ts';
import type { ToolSpec } from '../model/index.ts';
import type { Tool } from './types.ts';

export class ToolRegistrationError extends ReinError {}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** All tools, from any source. Sources replace their own tools as a set (e.g. when an MCP server's list changes). */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();
  private readonly listeners = new Set<() => void>();
  private readonly shown = new WeakMap<Tool, ToolSpec>();

  add(tool: Tool): void {
    if (!NAME_PATTERN.test(tool.name)) {
      throw new ToolRegistrationError(`tool name "${tool.name}" is not allowed: use 1-64 letters, digits, "_" or "-"`);
    }
    if (this.tools.has(tool.name)) throw new ToolRegistrationError(`a tool named "${tool.name}" is already registered`);
    this.tools.set(tool.name, tool);
    this.changed();
  }

  /**
   * Replaces every tool whose source matches `sourceKey` with `tools`. Tools that stay keep their place, new ones are
   * appended: a server re-listing the same tools must not reorder what the model is offered (its prompt cache).
   */
  replaceSource(sourceKey: string, tools: Tool[]): void {
    const incoming = new Map(tools.map((t) => [t.name, t]));
    const kept = new Map<string, Tool>();
    for (const [name, tool] of this.tools) {
      if (sourceKeyOf(tool) !== sourceKey) kept.set(name, tool);
      else if (incoming.has(name) && sourceKeyOf(incoming.get(name)!) === sourceKey) {
        kept.set(name, incoming.get(name)!);
        incoming.delete(name);
      }
    }
    this.tools.clear();
    for (const [name, tool] of kept) this.tools.set(name, tool);
    for (const tool of incoming.values()) this.add(tool);
    this.changed();
  }

  get(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  list(): Tool[] {
    return [...this.tools.values()];
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  /** What the model is shown of each tool (made once per tool: the same objects each step). */
  specs(): ToolSpec[] {
    return this.list().map((t) => {
      let spec = this.shown.get(t);
      if (!spec) this.shown.set(t, (spec = { name: t.name, description: t.description, parameters: forTheModel(t.parameters) }));
      return spec;
    });
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** `$schema` tells the model nothing and costs prompt tokens on every step (validation keeps the full schema). */
function forTheModel(parameters: Tool['parameters']): Tool['parameters'] {
  if (!parameters || typeof parameters !== 'object' || !('$schema' in parameters)) return parameters;
  const { $schema: _schema, ...rest } = parameters as Record<string, unknown>;
  return rest as Tool['parameters'];
}

export function sourceKeyOf(tool: Tool): string {
  const s = tool.source;
  return s.kind === 'builtin' ? 'builtin' : s.kind === 'mcp' ? `mcp:${s.server}` : `skill:${s.skill}`;
}
