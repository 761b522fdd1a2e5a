// How a `host` predicate reads a URL argument: parsed by the WHATWG URL parser (as fetch does), after adding a
// scheme when there is none (`evil.com/x`, `//evil.com/x`). The host is lower-cased, loses trailing dots and IPv6
// brackets, and an IPv4-mapped IPv6 address (`[::ffff:127.0.0.1]`) reads as the IPv4 address. A value that does
// not parse or has no host gives no reading (the predicate is then unknown).

/** The hosts `value` names (arrays: every element); empty when one of them cannot be read. */
export function hostReadings(value: unknown): string[] {
  const texts = typeof value === 'string' ? [value] : Array.isArray(value) && value.length && value.every((v) => typeof v === 'string') ? (value as string[]) : [];
  const hosts: string[] = [];
  for (const text of texts) {
    const host = hostOf(text);
    if (host === undefined) return [];
    hosts.push(host);
  }
  return hosts;
}

function hostOf(raw: string): string | undefined {
  const text = raw.normalize('NFKC').trim();
  if (!text) return undefined;
  const url = parse(text) ?? parse(text.startsWith('//') ? `http:${text}` : `http://${text}`);
  if (!url?.hostname) return undefined;
  return normalizeHost(url.hostname);
}

function parse(text: string): URL | undefined {
  // Only URLs with an authority: `evil.com:443/x` parses as scheme `evil.com:` and must not count as one.
  if (!/^[a-z][a-z0-9+.-]*:[/\\]{2}/i.test(text)) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function normalizeHost(hostname: string): string {
  let host = hostname.toLowerCase().replace(/\.+$/, '');
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  const mapped = /^(?:0*:)*:?ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (mapped) {
    const high = parseInt(mapped[1]!, 16);
    const low = parseInt(mapped[2]!, 16);
    host = [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  return host;
}
