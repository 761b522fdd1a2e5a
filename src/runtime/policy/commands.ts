// How a `starts_with` predicate reads a shell command: parsed with shell-quote (quotes and `\` escapes removed),
// split into every command of a sequence or pipeline (`;`, `&&`, `||`, `|`, `&`, newlines, `$(…)`, backticks,
// `sh -c "…"`, `eval …`), each with leading `VAR=value` assignments removed and the program reduced to its name
// (`/bin/rm` → `rm`). After a wrapper (`env`, `sudo`, `nohup`, `timeout`, …) every later word may start the command
// it runs, so `env sudo rm -rf /` reads as an `env …`, a `sudo …` and an `rm -rf …` command.
import { parse, type ParseEntry } from 'shell-quote';

/** One reading of a simple command as words; `unreadable` when its program is not literal text (`$CMD`, a glob). */
export interface ParsedCommand {
  words: string[];
  unreadable?: boolean;
}

const SEPARATORS = new Set([';', '&&', '||', '|', '&', '|&', ';;', '(', ')', '<(', '>(']);
const WRAPPERS = new Set(['env', 'sudo', 'doas', 'command', 'builtin', 'exec', 'nohup', 'nice', 'time', 'timeout', 'xargs', 'stdbuf', 'ionice', 'setsid', 'chroot', 'unbuffer', 'busybox', 'watch', 'strace', 'ltrace', 'flock', 'su', 'runuser', 'script']);
const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish', 'busybox', 'su', 'runuser']);
const MAX_DEPTH = 4;
const MAX_WRAPPER_WORDS = 16;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
/** Long options read as the short flag they stand for in most tools. */
const LONG_FLAGS: Record<string, string> = { '--recursive': 'r', '--force': 'f' };

/** Every simple command in `text`, each with its readings: the command as written first, then what a wrapper runs. */
export function parseCommands(text: string, depth = 0): ParsedCommand[][] {
  const commands: ParsedCommand[][] = [];
  for (const line of text.split(/[\r\n]+/)) {
    if (depth < MAX_DEPTH) for (const [, inner = ''] of line.matchAll(/`([^`]*)`/g)) commands.push(...parseCommands(inner, depth + 1));
    let words: ParseEntry[] = [];
    for (const entry of [...parse(line, (name) => `$${name}`), { op: ';' } as ParseEntry]) {
      if (typeof entry === 'object' && 'op' in entry && SEPARATORS.has(entry.op)) {
        if (words.length) commands.push(...simple(words, depth));
        words = [];
      } else if (!(typeof entry === 'object' && 'comment' in entry)) words.push(entry);
    }
  }
  return commands;
}

function simple(entries: ParseEntry[], depth: number): ParsedCommand[][] {
  const words = entries.filter((e) => !(typeof e === 'object' && 'op' in e && e.op !== 'glob')).map((e) => (typeof e === 'string' ? e : 'pattern' in e ? e.pattern : ''));
  while (words.length && ASSIGNMENT.test(words[0]!)) words.shift();
  // `$` before `(`: shell-quote leaves it as a word of its own.
  while (words.length && words[0] === '$') words.shift();
  if (!words.length) return [];
  const readings = [reading(words)];
  // After a wrapper, any later word may be where the wrapped command starts (`sudo -u root rm`, `timeout 5 rm`).
  if (WRAPPERS.has(readings[0]!.words[0]!)) {
    for (let i = 1; i < Math.min(words.length, MAX_WRAPPER_WORDS); i++) {
      if (!words[i]!.startsWith('-') && !ASSIGNMENT.test(words[i]!)) readings.push(reading(words.slice(i)));
    }
  }
  const nested: ParsedCommand[][] = [];
  if (depth < MAX_DEPTH) {
    for (const { words: [program = '', ...args] } of readings) {
      // `sh -c "…"`, `bash -lc '…'`, `eval …`: the script is commands too.
      const script = SHELLS.has(program) ? args.findIndex((word) => /^-[A-Za-z]*c[A-Za-z]*$/.test(word)) : -1;
      if (script >= 0 && args[script + 1] !== undefined) nested.push(...parseCommands(args[script + 1]!, depth + 1));
      if (program === 'eval') nested.push(...parseCommands(args.join(' '), depth + 1));
    }
  }
  return [readings, ...nested];
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
