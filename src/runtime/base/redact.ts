// Removes secrets from text before it is stored (audit log, traces): configured env values and token-like strings.

const MASK = '[REDACTED]';
/** Shorter values are too likely to be ordinary words or numbers. */
const MIN_SECRET_LENGTH = 4;

const TOKEN_PATTERNS: RegExp[] = [
  /\bBearer\s+[A-Za-z0-9._~+/-]+=*/g,
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /\b(?:ghp|gho|ghs|ghu|github_pat)_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}\b/g,
];
/** `"api_key": "…"`, `token=…`, `password: …` */
const KEYED_SECRET = /((?:api[_-]?key|apikey|access[_-]?token|auth[_-]?token|secret|password|passwd)["']?\s*[:=]\s*["']?)([^"'\s,&}]{4,})/gi;

export type Redactor = (text: string) => string;

export function createRedactor(secrets: readonly string[] = []): Redactor {
  const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const value of values) {
      out = out.replaceAll(value, MASK);
      const escaped = JSON.stringify(value).slice(1, -1);
      if (escaped !== value) out = out.replaceAll(escaped, MASK);
    }
    for (const pattern of TOKEN_PATTERNS) out = out.replace(pattern, MASK);
    return out.replace(KEYED_SECRET, (_match, key: string) => `${key}${MASK}`);
  };
}
