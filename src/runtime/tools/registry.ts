import { ReinError } from '../base/index.ts';
import type { ToolSpec } from '../model/index.ts';
import type { Tool } from './types.ts';

export class ToolRegistrationError extends ReinError {}

const NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** All tools, from any source. Sources replace their own tools as a set (e.g. when an MCP server's list changes). */
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();
  private readonly listeners = new Set<() => void>();
  /** One spec object per tool while the tool is registered: per-spec caches (token estimates) stay valid across steps. */
  private readonly specOf = new WeakMap<Tool, ToolSpec>();

  add(tool: Tool): void {
    if (!NAME_PATTERN.test(tool.name)) {
      throw new ToolRegistrationError(`tool name "${tool.name}" is not allowed: use 1-64 letters, digits, "_" or "-"`);
    }
    if (this.tools.has(tool.name)) throw new ToolRegistrationError(`a tool named "${tool.name}" is already registered`);
    this.tools.set(tool.name, tool);
    this.changed();
  }

  /** Replaces every tool whose source matches `sourceKey` with `tools`. */
  replaceSource(sourceKey: string, tools: Tool[]): void {
    for (const [name, tool] of this.tools) if (sourceKeyOf(tool) === sourceKey) this.tools.delete(name);
    for (const tool of tools) this.add(tool);
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

  specs(): ToolSpec[] {
    return this.list().map((t) => {
      let spec = this.specOf.get(t);
      if (!spec) this.specOf.set(t, (spec = { name: t.name, description: t.description, parameters: t.parameters }));
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

export function sourceKeyOf(tool: Tool): string {
  const s = tool.source;
  return s.kind === 'builtin' ? 'builtin' : s.kind === 'mcp' ? `mcp:${s.server}` : `skill:${s.skill}`;
}
