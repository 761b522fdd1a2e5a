// How numeric predicates (gt, gte, lt, lte, numeric eq/in) read an argument. Models and MCP servers send amounts
// in many spellings; every plausible reading is returned, and no reading at all means "cannot tell" (the predicate
// is then unknown, which a deny/ask rule treats as a match).
//
// - numbers: as they are (NaN: no reading; ±Infinity counts as a number)
// - text: Unicode-normalised (NFKC: full-width `１０００` → `1000`), trimmed; one currency symbol or 3-letter code
//   before or after (`$`, `€`, `US$`, `2000 USD`); a sign (`+`, `-`, `−`); `0x`/`0o`/`0b` integers; grouping by
//   `,` `.` `'` `_` or spaces between digits; a decimal point or comma; an exponent (`1e3`, `.1e4`, `1000.`).
//   `1,000` and `1.000` are ambiguous (one thousand, or one with three decimals): both readings count.
// - objects and arrays: the readings of every value inside (`{ value: 1000, currency: "EUR" }` reads 1000);
//   values that are only a currency are skipped; any other value that is not a number makes the whole unreadable.

const CURRENCY = String.raw`(?:\p{Sc}|[A-Za-z]{1,3}\p{Sc}|[A-Za-z]{3})`;
const LEADING = new RegExp(String.raw`^([+-]?)\s*${CURRENCY}\s*`, 'u');
const TRAILING = new RegExp(String.raw`${CURRENCY}$`, 'u');
const CURRENCY_ONLY = new RegExp(String.raw`^\s*${CURRENCY}\s*$`, 'u');
/** Longer text is no amount anyone writes; it is unreadable (and the regexes stay cheap). */
const MAX_LENGTH = 100;
const RADIX = /^0[xob][0-9a-f]+$/i;
const MAX_DEPTH = 8;

/** Every reading of `value` as a number; empty when there is none. */
export function numberReadings(value: unknown, depth = 0): number[] {
  if (typeof value === 'number') return Number.isNaN(value) ? [] : [value];
  if (typeof value === 'bigint') return [Number(value)];
  if (typeof value === 'string') return textReadings(value);
  if (value && typeof value === 'object' && depth < MAX_DEPTH) {
    const readings: number[] = [];
    for (const item of Object.values(value)) {
      if (typeof item === 'string' && CURRENCY_ONLY.test(item.normalize('NFKC'))) continue;
      const inner = numberReadings(item, depth + 1);
      if (!inner.length) return [];
      readings.push(...inner);
    }
    return readings;
  }
  return [];
}

function textReadings(raw: string): number[] {
  if (raw.length > MAX_LENGTH * 4) return [];
  const text = raw.normalize('NFKC').replaceAll('\u2212', '-').trim();
  if (text.length > MAX_LENGTH) return [];
  const plain = signedReadings(text);
  if (plain.length) return plain;
  // One currency before (after any sign) or after the number: `-$5`, `$-5`, `5 USD`, `US$ 5`.
  const leading = LEADING.exec(text);
  if (leading) return signedReadings(`${leading[1]}${text.slice(leading[0].length)}`);
  const trailing = TRAILING.exec(text);
  return trailing ? signedReadings(text.slice(0, trailing.index).trim()) : [];
}

function signedReadings(text: string): number[] {
  const sign = text.startsWith('-') ? -1 : 1;
  const body = /^[+-]/.test(text) ? text.slice(1).trimStart() : text;
  if (RADIX.test(body)) return [sign * Number(body)];
  return decimalReadings(body).map((n) => sign * n);
}

/** `1 000,50`, `1.000.000`, `1,000.5`, `1_000`, `1e3`, `.5` → the possible values. */
function decimalReadings(body: string): number[] {
  const [mantissa = '', exponent, extra] = body.split(/e/i);
  if (extra !== undefined || (exponent !== undefined && !/^[+-]?\d+$/.test(exponent))) return [];
  const ungrouped = mantissa.replace(/(?<=\d)[\s_'’](?=\d)/gu, '');
  if (!/^(\d|[.,]\d)[\d.,]*$/.test(ungrouped) && !/^\d+[.,]$/.test(ungrouped)) return [];
  const suffix = exponent === undefined ? '' : `e${exponent}`;
  return [...new Set(separatorReadings(ungrouped))].map((plain) => Number(`${plain}${suffix}`)).filter((n) => !Number.isNaN(n));
}

/** Plain decimal spellings (`1000.5`) of `digits`, one per way its separators can be read. */
function separatorReadings(digits: string): string[] {
  const dots = count(digits, '.');
  const commas = count(digits, ',');
  if (!dots && !commas) return [digits];
  if (dots && commas) {
    // The later separator is the decimal one: 1,000.50 or 1.000,50.
    const decimal = digits.lastIndexOf('.') > digits.lastIndexOf(',') ? '.' : ',';
    const grouping = decimal === '.' ? ',' : '.';
    if (count(digits, decimal) > 1 || !grouped(digits.slice(0, digits.lastIndexOf(decimal)), grouping)) return [];
    return [digits.replaceAll(grouping, '').replace(decimal, '.')];
  }
  const separator = dots ? '.' : ',';
  if (count(digits, separator) > 1) return grouped(digits, separator) ? [digits.replaceAll(separator, '')] : [];
  const asDecimal = digits.replace(separator, '.');
  // One separator followed by exactly three digits may be grouping too.
  return /^\d{1,3}[.,]\d{3}$/.test(digits) ? [asDecimal, digits.replace(separator, '')] : [asDecimal];
}

/** `1,000,000` — groups of three after the first. */
function grouped(digits: string, separator: string): boolean {
  const [first = '', ...groups] = digits.split(separator);
  return /^\d{1,3}$/.test(first) && groups.every((g) => /^\d{3}$/.test(g));
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}
