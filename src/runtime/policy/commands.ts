// How a `starts_with` predicate reads a shell command: parsed with shell-quote (quotes and `\` escapes removed),
// split into every command of a sequence or pipeline (`;`, `&&`, `||`, `|`, `&`, newlines, `$(…)`, backticks,
// `sh -c "…"`, `eval …`, a here-string into a shell, `find -exec …`), each with leading `VAR=value` assignments and
// redirections removed, brace expansion applied to its arguments, and the program reduced to its name (`/bin/rm` →
// `rm`). After a wrapper (`env`, `sudo`, `nohup`, `timeout`, …) every later word may start the command it runs, so
// `env sudo rm -rf /` reads as an `env …`, a `sudo …` and an `rm -rf …` command.
// Fail closed: a command the reading cannot fully account for is `unreadable` — its code comes from somewhere the
// text does not show (a shell reading stdin, a here-string or a script file, `eval`, `xargs`, `-exec`, an
// interpreter's `-c`/`-e` code), its program is formed by an expansion (`$CMD`, a glob, `{rm,-rf,/}`), or it is
// continued over lines (`rm \⏎-rf /`). Such a command matches every deny/ask prefix and no allow prefix.
import { expand } from 'brace-expansion';
import { parse, type ParseEntry } from 'shell-quote';

/** One reading of a simple command as words; `unreadable` when the reading cannot be sure what runs. */
export interface ParsedCommand {
  words: string[];
  unreadable?: boolean;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '|&', ';;', '(', ')', '<(', '>(']);
/** Redirections: the word after one is a file (or a here-string / here-doc word), not an argument. */
const REDIRECTIONS = new Set(['<', '>', '>>', '<<', '<<<', '<&', '>&', '>|', '&>', '&>>', '<>']);
const STDIN_REDIRECTIONS = new Set(['<', '<<', '<&', '<>']);
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'nohup', 'nice', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chroot', 'unbuffer', 'busybox', 'watch', 'strace', 'ltrace', 'flock', 'su', 'runuser', 'script']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'fish', 'tcsh', 'csh', 'ash', 'busybox', 'su', 'runuser']);
/** Programs that run code the command line does not show. */
const OPAQUE = new Set(['eval', 'xargs', 'source', '.', 'parallel']);
/** Interpreters whose `-c`/`-e`/`-r` code is not shell syntax: unreadable. */
const INTERPRETERS = /^(python[0-9.]*|pypy[0-9.]*|perl[0-9.]*|ruby|node|nodejs|deno|bun|php[0-9.]*|lua[0-9.]*|tclsh|Rscript|osascript|pwsh|powershell)$/;
const EXEC_OPTIONS = new Set(['-exec', '-execdir', '-ok', '-okdir']);
const MAX_DEPTH = 4;
const MAX_WRAPPER_WORDS = 16;
const MAX_BRACE_WORDS = 256;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Long options read as the short flag they stand for in most tools. */
const LONG_FLAGS: Record<string, string> = { '--recursive': 'r', '--force': 'f' };

/** Every simple command in `text`, each with its readings: the command as written first, then what a wrapper runs. */
export function parseCommands(text: string, depth = 0): ParsedCommand[][] {
  const commands: ParsedCommand[][] = [];
  for (const { line, continued } of lines(text)) {
    const before = commands.length;
    for (const [, inner = ''] of line.matchAll(/`([^`]*)`/g)) commands.push(...nestedScript(inner, depth));
    const braces = hasBraceExpansion(line);
    let words: ParseEntry[] = [];
    for (const entry of [...parse(line, (name) => `$${name}`), { op: ';' } as ParseEntry]) {
      if (typeof entry === 'object' && 'op' in entry && SEPARATORS.has(entry.op)) {
        if (words.length) commands.push(...simple(words, depth, braces));
        words = [];
      } else if (!(typeof entry === 'object' && 'comment' in entry)) words.push(entry);
    }
    if (continued) for (const group of commands.slice(before)) for (const reading of group) reading.unreadable = true;
  }
  return commands;
}

/** The lines of a script; a `\` before a newline continues the line (read joined, and marked as continued). */
function lines(text: string): { line: string; continued: boolean }[] {
  const out: { line: string; continued: boolean }[] = [];
  let pending: string | undefined;
  for (const piece of text.split(/\r?\n|\r/)) {
    let backslashes = 0;
    while (piece[piece.length - 1 - backslashes] === '\\') backslashes++;
    if (backslashes % 2 === 1) pending = (pending ?? '') + piece.slice(0, -1);
    else {
      out.push({ line: (pending ?? '') + piece, continued: pending !== undefined });
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push({ line: pending, continued: true });
  return out;
}

/** The commands of code found inside a command (`sh -c`, `eval`, a here-string, backticks); past the depth limit, unreadable. */
function nestedScript(script: string, depth: number): ParsedCommand[][] {
  if (depth + 1 >= MAX_DEPTH) return [[{ words: ['…'], unreadable: true }]];
  return parseCommands(script, depth + 1);
}

function simple(entries: ParseEntry[], depth: number, braces: boolean): ParsedCommand[][] {
  const raw: string[] = [];
  let hereString: string | undefined;
  let readsStdin = false;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (typeof entry === 'string') raw.push(entry);
    else if ('op' in entry && entry.op === 'glob') raw.push(entry.pattern);
    else if ('op' in entry && REDIRECTIONS.has(entry.op)) {
      const target = entries[i + 1];
      if (typeof target === 'string') i++;
      if (entry.op === '<<<') hereString = typeof target === 'string' ? target : '';
      if (STDIN_REDIRECTIONS.has(entry.op)) readsStdin = true;
    }
  }
  while (raw.length && ASSIGNMENT.test(raw[0]!)) raw.shift();
  // `$` before `(`: shell-quote leaves it as a word of its own.
  while (raw.length && raw[0] === '$') raw.shift();
  if (!raw.length) return [];
  const { words, programExpanded } = braces ? expandBraces(raw) : { words: raw, programExpanded: false };
  if (!words.length) return [];
  const readings = [reading(words)];
  if (programExpanded) readings[0]!.unreadable = true;
  // After a wrapper, any later word may be where the wrapped command starts (`sudo -u root rm`, `timeout 5 rm`).
  if (WRAPPERS.has(readings[0]!.words[0]!)) {
    for (let i = 1; i < Math.min(words.length, MAX_WRAPPER_WORDS); i++) {
      if (!words[i]!.startsWith('-') && !ASSIGNMENT.test(words[i]!)) readings.push(reading(words.slice(i)));
    }
  }
  const nested: ParsedCommand[][] = [];
  for (const current of readings) {
    const [program = '', ...args] = current.words;
    if (SHELLS.has(program)) {
      // `sh -c "…"`, `bash -lc '…'`: the script is commands too. Anything else a shell runs — a here-string, stdin,
      // a script file — the reading cannot see in full.
      const script = args.findIndex((word) => /^-[A-Za-z]*c[A-Za-z]*$/.test(word));
      if (script >= 0 && args[script + 1] !== undefined) nested.push(...nestedScript(args[script + 1]!, depth));
      else current.unreadable = true;
      if (hereString !== undefined) nested.push(...nestedScript(hereString, depth));
    } else if (OPAQUE.has(program)) {
      current.unreadable = true;
      if (program === 'eval') nested.push(...nestedScript(args.join(' '), depth));
    } else if (INTERPRETERS.test(program) && (readsStdin || hereString !== undefined || args.some((word) => /^-[A-Za-z]*[cer]$/.test(word)) || !args.some((word) => !word.startsWith('-')))) {
      current.unreadable = true;
    }
    nested.push(...execCommands(args));
  }
  return [readings, ...nested];
}

/** `find … -exec rm -rf {} +`: the command run per file, unreadable (the found names become its arguments). */
function execCommands(args: string[]): ParsedCommand[][] {
  const out: ParsedCommand[][] = [];
  for (let i = 0; i < args.length; i++) {
    if (!EXEC_OPTIONS.has(args[i]!)) continue;
    const end = args.findIndex((word, j) => j > i && (word === ';' || word === '+'));
    const words = args.slice(i + 1, end < 0 ? undefined : end);
    if (words.length) out.push([{ ...reading(words), unreadable: true }]);
    if (end < 0) break;
    i = end;
  }
  return out;
}

/** True when `line` has a brace expansion (`{a,b}`, `{1..3}`) outside quotes. */
function hasBraceExpansion(line: string): boolean {
  let unquoted = '';
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (quote === '"' && char === '\\') i++;
      unquoted += '_';
    } else if (char === '\\') {
      i++;
      unquoted += '__';
    } else if (char === "'" || char === '"') {
      quote = char;
      unquoted += '_';
    } else unquoted += char;
  }
  return /\{[^{}\s]*(,|\.\.)[^{}\s]*\}/.test(unquoted);
}

/** The words after brace expansion; `programExpanded` when the program itself came out of one. */
function expandBraces(words: string[]): { words: string[]; programExpanded: boolean } {
  const out: string[] = [];
  let programExpanded = false;
  for (const [index, word] of words.entries()) {
    const expanded = expand(word, { max: MAX_BRACE_WORDS });
    if (index === 0 && (expanded.length !== 1 || expanded[0] !== word)) programExpanded = true;
    out.push(...expanded);
    if (out.length > MAX_BRACE_WORDS) return { words: out.slice(0, MAX_BRACE_WORDS), programExpanded: true };
  }
  return { words: out, programExpanded };
}

function reading(words: string[]): ParsedCommand {
  const first = words[0]!;
  const parsed: ParsedCommand = { words: [programName(first), ...words.slice(1)] };
  // A program named by a variable, a substitution or a glob cannot be known (`[` alone is the test command).
  if (/[$`*?]/.test(first) || /\[.*\]/.test(first)) parsed.unreadable = true;
  return parsed;
}

/** `/usr/bin/rm` → `rm`, `\rm` → `rm`. */
function programName(word: string): string {
  return word.replace(/^\\+/, '').split('/').pop() ?? word;
}

/**
 * Does `command` start like `prefix`? Programs must be equal; every flag letter of the prefix's short options must be
 * among the command's (in any order or grouping: `-rf`, `-fr`, `-r -f`); long options must appear; other words must
 * follow in order.
 */
export function startsLike(command: ParsedCommand, prefix: string): boolean {
  const wanted = parse(prefix).filter((w): w is string => typeof w === 'string');
  if (!wanted.length) return false;
  // Without a trailing space the last word may be partial, as in a plain text prefix (`rm` also covers `rmdir`).
  const partial = !/\s$/.test(prefix);
  const same = (word: string, want: string, last: boolean) => word === want || (partial && last && word.startsWith(want));
  const [program = '', ...rest] = command.words;
  if (!same(program, programName(wanted[0]!), wanted.length === 1)) return false;
  const flags = new Set<string>();
  const longs = new Set<string>();
  const positional: string[] = [];
  let ended = false;
  for (const word of rest) {
    if (!ended && word === '--') ended = true;
    else if (!ended && word.startsWith('--')) {
      longs.add(word.split('=')[0]!);
      const flag = LONG_FLAGS[word];
      if (flag) flags.add(flag);
    }
    else if (!ended && /^-[A-Za-z0-9]+$/.test(word)) for (const letter of word.slice(1)) flags.add(letter);
    else positional.push(word);
  }
  let next = 0;
  for (const [index, word] of wanted.slice(1).entries()) {
    const last = index === wanted.length - 2;
    if (word.startsWith('--')) {
      if (!longs.has(word.split('=')[0]!)) return false;
    } else if (/^-[A-Za-z0-9]+$/.test(word)) {
      if (![...word.slice(1)].every((letter) => flags.has(letter))) return false;
    } else {
      while (next < positional.length && !same(positional[next]!, word, last)) next++;
      if (next >= positional.length) return false;
      next++;
    }
  }
  return true;
}
