// Parses YAML keeping node positions, so schema errors can name the file line.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigIssue } from './errors.ts';
import { formatPath } from './errors.ts';

export interface YamlSource {
  data: unknown;
  /** Line/column of the deepest node that exists along `path` (the key itself for unknown keys). */
  locate(path: readonly PropertyKey[], key?: string): { line: number; column: number } | undefined;
}

const MAX_ALIAS_COUNT = 100;

export function parseYaml(text: string, env: NodeJS.ProcessEnv): { source?: YamlSource; issues: ConfigIssue[]; secrets: string[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const position = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const syntax = [...doc.errors].map((error) => ({
    path: '',
    message: `YAML syntax: ${error.message.split('\n')[0]}`,
    ...position(error.pos[0]),
  }));
  if (syntax.length > 0) return { issues: syntax, secrets: [] };

  const secrets = new Set<string>();
  const issues = interpolateEnv(doc, env, position, secrets);
  let data: unknown;
  try {
    // Aliases are expanded into copies: a few nested ones (a "billion laughs" document) would exhaust memory.
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (error) {
    return { issues: [{ path: '', message: `YAML: ${(error as Error).message.split('\n')[0]} (at most ${MAX_ALIAS_COUNT} alias expansions)`, line: 1, column: 1 }], secrets: [] };
  }
  const source: YamlSource = {
    data,
    locate: (path, key) => {
      const node = deepestNode(doc, path, key);
      return node?.range ? position(node.range[0]) : undefined;
    },
  };
  return { source, issues, secrets: [...secrets] };
}

const ENV_PATTERN = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Replaces `${env:NAME}` (or `${env:NAME:-fallback}`) in every string scalar; collects the values taken from the environment. */
function interpolateEnv(
  doc: Document,
  env: NodeJS.ProcessEnv,
  position: (offset: number) => { line: number; column: number },
  secrets: Set<string>,
): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Scalar(_key, node, ancestors) {
      if (typeof node.value !== 'string' || !node.value.includes('${env:')) return;
      node.value = node.value.replace(ENV_PATTERN, (_match, name: string, fallback: string | undefined) => {
        const value = env[name];
        if (value !== undefined) {
          secrets.add(value);
          return value;
        }
        if (fallback !== undefined) return fallback;
        issues.push({
          path: formatPath(pathOf(ancestors, node)),
          message: `environment variable ${name} is not set (referenced as \${env:${name}})`,
          ...(node.range ? position(node.range[0]) : {}),
        });
        return '';
      });
    },
  });
  return issues;
}

function pathOf(ancestors: readonly unknown[], node: unknown): PropertyKey[] {
  const path: PropertyKey[] = [];
  const chain = [...ancestors, node];
  for (let i = 0; i < chain.length - 1; i++) {
    const parent = chain[i];
    const child = chain[i + 1];
    if (isPair(parent) && parent.value === child && isScalar(parent.key)) path.push(String(parent.key.value));
    if (isSeq(parent)) path.push(parent.items.indexOf(child as never));
  }
  return path;
}

function deepestNode(doc: Document, path: readonly PropertyKey[], key?: string): Node | undefined {
  let node: unknown = doc.contents;
  let found = node as Node | undefined;
  for (const part of [...path, ...(key === undefined ? [] : [key])]) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(part));
      if (!pair) break;
      node = pair.value;
      found = (part === key ? pair.key : (pair.value ?? pair.key)) as Node;
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part];
      found = node as Node;
    } else break;
  }
  return found;
}
