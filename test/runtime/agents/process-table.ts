import fs from 'node:fs';

/** Live (non-zombie and zombie alike) children of `pid`, read from /proc so no helper process shows up. */
export function childrenOf(pid: number = process.pid): { pid: number; state: string; command: string }[] {
  const found: { pid: number; state: string; command: string }[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid …; comm may contain spaces, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === pid) found.push({ pid: Number(entry), state: state!, command: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return found;
}

/** Children that are Rein subagents (node processes), after giving exits a moment to be reaped. */
export async function waitNoChildren(timeoutMs = 15_000): Promise<{ pid: number; state: string; command: string }[]> {
  const deadline = Date.now() + timeoutMs;
  let left = childrenOf();
  while (left.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = childrenOf();
  }
  return left;
}
