// Globs for tool names, paths and hosts: `*` matches within one path segment, `**` across segments (`dir/**` also
// matches `dir` itself), `?` one character.

const cache = new Map<string, RegExp>();

export function globToRegExp(glob: string, flags = ''): RegExp {
  const key = `${flags}:${glob}`;
  let regex = cache.get(key);
  if (!regex) {
    let source = '';
    for (let i = 0; i < glob.length; i++) {
      const char = glob[i]!;
      if (char === '*' && glob[i + 1] === '*') {
        // `a/**` is `a` and everything below it; `a/**/b` includes `a/b`.
        if (source.endsWith('/') && (i + 2 === glob.length || glob[i + 2] === '/')) source = `${source.slice(0, -1)}(?:/[\\s\\S]*)?`;
        else source += '[\\s\\S]*';
        i++;
      } else if (char === '*') source += '[^/]*';
      else if (char === '?') source += '[^/]';
      else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
    regex = new RegExp(`^${source}$`, flags);
    cache.set(key, regex);
  }
  return regex;
}

export function matchesGlob(value: string, globs: string | readonly string[], options: { ignoreCase?: boolean } = {}): boolean {
  const list = typeof globs === 'string' ? [globs] : globs;
  return list.some((glob) => globToRegExp(glob, options.ignoreCase ? 'i' : '').test(value));
}
