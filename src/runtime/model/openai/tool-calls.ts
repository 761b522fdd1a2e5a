// Assembles streamed tool-call deltas. Servers differ: ids only on the first delta (vLLM) or on every one; the name
// once, repeated in every delta (llama.cpp before mid-2025, some vLLM parsers) or as an empty string first; arguments
// as string fragments, as the whole JSON in one delta (llama.cpp) or as an object (some servers). Calls are keyed by
// index AND id: a new id at an index already used starts a new call.
import type { ModelToolCall } from '../types.ts';

interface Building {
  id: string;
  name: string;
  text: string;
  object?: unknown;
}

export interface ToolCallDelta {
  index?: unknown;
  id?: unknown;
  function?: { name?: unknown; arguments?: unknown } | null;
}

export class ToolCallAssembler {
  private readonly calls: Building[] = [];
  private readonly atIndex = new Map<number, Building>();

  get size(): number {
    return this.calls.length;
  }

  push(deltas: readonly ToolCallDelta[]): void {
    deltas.forEach((delta, position) => this.add(delta, typeof delta.index === 'number' ? delta.index : position));
  }

  private add(delta: ToolCallDelta, index: number): void {
    const id = typeof delta.id === 'string' ? delta.id : '';
    let call = id ? this.calls.find((c) => c.id === id) : undefined;
    if (!call) {
      const current = this.atIndex.get(index);
      if (current && (!id || !current.id)) {
        call = current;
        if (id) current.id = id;
      } else {
        call = { id, name: '', text: '' };
        this.calls.push(call);
      }
      this.atIndex.set(index, call);
    }
    const name = typeof delta.function?.name === 'string' ? delta.function.name : '';
    // A repeated whole name is ignored; a name in fragments (before any arguments) is joined.
    if (name && name !== call.name) call.name = call.text || call.object !== undefined ? (call.name || name) : call.name + name;
    const args = delta.function?.arguments;
    if (typeof args === 'string') {
      // A server that sends the finished arguments again at the end must not double them.
      if (args && !(call.text && args === call.text && isJson(args))) call.text += args;
    } else if (args !== undefined && args !== null) {
      call.object = args;
    }
  }

  /** The finished calls, in order; arguments parsed when they are JSON, else left as text for the guard to repair. */
  finish(nextId: () => string): ModelToolCall[] {
    return this.calls
      .filter((c) => c.name || c.text || c.object !== undefined)
      .map((c) => ({ id: c.id || nextId(), name: c.name.trim(), arguments: c.object !== undefined && !c.text ? c.object : parseArguments(c.text) }));
  }
}

export function parseArguments(text: string): unknown {
  if (!text.trim()) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
