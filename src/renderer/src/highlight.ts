// Syntax highlighting with Shiki: a fixed set of common languages and the JavaScript regex engine (no WASM, so the
// strict CSP holds). Loaded lazily on the first code block; tokens are rendered as React spans, never as HTML.
import type { HighlighterCore, ThemedToken } from 'shiki/core';

const LANGS = {
  javascript: () => import('shiki/langs/javascript.mjs'),
  typescript: () => import('shiki/langs/typescript.mjs'),
  tsx: () => import('shiki/langs/tsx.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  shellscript: () => import('shiki/langs/shellscript.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
  markdown: () => import('shiki/langs/markdown.mjs'),
  diff: () => import('shiki/langs/diff.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  go: () => import('shiki/langs/go.mjs'),
} as const;
type Lang = keyof typeof LANGS;

const ALIASES: Record<string, Lang> = {
  js: 'javascript', mjs: 'javascript', cjs: 'javascript', jsx: 'tsx', ts: 'typescript', mts: 'typescript',
  py: 'python', sh: 'shellscript', bash: 'shellscript', shell: 'shellscript', zsh: 'shellscript', console: 'shellscript',
  yml: 'yaml', md: 'markdown', rs: 'rust', golang: 'go', jsonc: 'json', json5: 'json', htm: 'html',
};

/** The language Shiki knows a fence's info string by, or undefined (then the block is shown plain). */
export function knownLang(info: string | undefined): Lang | undefined {
  const name = (info ?? '').trim().toLowerCase();
  if (name in LANGS) return name as Lang;
  return ALIASES[name];
}

let highlighter: Promise<HighlighterCore> | undefined;
/** One load per language, shared by the code blocks that ask at the same time (a streamed block asks often). */
const languages = new Map<Lang, Promise<void>>();

function load(): Promise<HighlighterCore> {
  highlighter ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }] = await Promise.all([import('shiki/core'), import('shiki/engine/javascript')]);
    return createHighlighterCore({
      themes: [import('shiki/themes/github-light.mjs'), import('shiki/themes/github-dark.mjs')],
      langs: [],
      engine: createJavaScriptRegexEngine(),
    });
  })();
  return highlighter;
}

export type Line = ThemedToken[];

/** Tokens per line in one theme's colours (`color`). */
export async function highlight(code: string, lang: Lang, theme: 'light' | 'dark'): Promise<Line[]> {
  const core = await load();
  if (!languages.has(lang)) languages.set(lang, LANGS[lang]().then((module) => core.loadLanguage(module.default)));
  await languages.get(lang);
  // The first lines compile the grammar's regexes: on a busy machine that takes longer than Shiki's default 500 ms
  // per line, after which it would leave the rest of the line uncoloured.
  return core.codeToTokens(code, { lang, theme: theme === 'dark' ? 'github-dark' : 'github-light', tokenizeTimeLimit: 10_000 }).tokens;
}
