// Tool names the model sees: `<server>__<tool>`, restricted to what models accept, unique across servers.
import { createHash } from 'node:crypto';

const MAX_LENGTH = 64;
export const SEPARATOR = '__';

/**
 * Exposed names for one server's tools, in order. `taken` holds names used by other sources; collisions
 * (after cleaning or cutting) get a numbered suffix. The caller keeps the pairing, so mapping back is exact.
 */
export function exposedNames(server: string, tools: readonly string[], taken: ReadonlySet<string>): string[] {
  const used = new Set(taken);
  return tools.map((tool) => {
    const base = fit(`${server}${SEPARATOR}${tool.replace(/[^A-Za-z0-9_-]/g, '_')}`, tool);
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base.slice(0, MAX_LENGTH - String(n).length - 1)}_${n}`;
    used.add(name);
    return name;
  });
}

/** Long names are cut and given a short hash of the original, so two long names stay apart. */
function fit(name: string, original: string): string {
  if (name.length <= MAX_LENGTH) return name;
  const hash = createHash('sha256').update(original).digest('hex').slice(0, 6);
  return `${name.slice(0, MAX_LENGTH - hash.length - 1)}_${hash}`;
}
