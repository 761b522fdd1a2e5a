import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { configSchema, type ConfigFile } from './schema.ts';
import { ConfigError, formatPath, type ConfigIssue } from './errors.ts';
import { editDistance, schemaIssueText } from './issue-text.ts';
import { parseYaml, type YamlSource } from './yaml-source.ts';
import { dataDir } from './paths.ts';
import { UntrustedFolderError, projectFolder, type ProjectFolder } from './trust.ts';
import { resolveKnowledge } from './sections/knowledge.ts';
import { isPostgresUrl, isQdrantUrl, literalPasswordProblem, parseQdrantLocation, parseStoreLocation } from './store-location.ts';
import { resolveModelSource, type ModelConfig, type ResolveContext } from './model-config.ts';
import { ModelEgressError, modelEgressIssue } from './model-egress.ts';
import { machinePolicyFile, readMachinePolicy, tightenPolicy } from './machine-policy.ts';
import { resolveTelemetry } from './sections/telemetry.ts';
import { telemetryEgressProblems } from './egress.ts';

export const DEFAULT_CONFIG_FILE = 'rein.yaml';

export interface ReinConfig extends Omit<ConfigFile, 'model' | 'providers'> {
  /** The model runs use unless they name another (`--model`, a conversation, a schedule, a role). */
  model: ModelConfig;
  /** More model sources, by id (`--model <id>:<name>`, the model picker). */
  providers: Record<string, ModelConfig>;
  /** The machine policy file that tightened `policy`, and the keys it decided. */
  machinePolicy?: { file: string; forced: string[] };
  /** The file the config came from; undefined when running on defaults. */
  file: string | undefined;
  /** Where Rein keeps its data (memory, traces). */
  dataDir: string;
  /**
   * `path`: the SQLite file (used unless episodic names a server). `episodic`: a postgres:// URL, else absent (SQLite).
   * `semantic`: a postgres:// or qdrant:// URL, else absent (the same store as episodic).
   */
  memory: Omit<ConfigFile['memory'], 'episodic' | 'semantic'> & { path: string; episodic?: string; semantic?: string };
  /** Values interpolated from `${env:…}`: redacted in traces and the audit log. */
  secrets: string[];
  /** The working directory, when it brings a rein.yaml or skills/ (used only when trusted). */
  project?: ProjectFolder;
}

/** Where the host's shared state lives (approvals, audit, schedules, …): the data dir, or memory.episodic's server. */
export type StateConfig = Pick<ReinConfig, 'dataDir' | 'secrets'> & { memory: Pick<ReinConfig['memory'], 'episodic'> };

export interface LoadConfigOptions {
  /** Explicit --config path; an error if it does not exist. */
  file?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * A rein.yaml or skills/ in an untrusted working directory: `refuse` (throw UntrustedFolderError; the default) or
   * `ignore` (load as if they were not there; `config.project` says so). An explicit `file` is the user's choice.
   */
  untrusted?: 'refuse' | 'ignore';
}

/**
 * --config FILE, else ./rein.yaml (in a trusted folder), else <data dir>/rein.yaml (where the desktop app keeps it),
 * else defaults. OLLAMA_HOST sets the Ollama server when rein.yaml names none. A machine policy file tightens `policy`.
 */
export function loadConfig(options: LoadConfigOptions = {}): ReinConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const home = dataDir(env);
  const project = options.file ? undefined : projectFolder(cwd, home, DEFAULT_CONFIG_FILE, 'skills');
  const ignored = project !== undefined && !project.trusted;
  if (ignored && options.untrusted !== 'ignore') throw new UntrustedFolderError(project);
  const file = resolveFile(options.file, ignored ? undefined : cwd, home);
  const text = file ? readText(file) : '';
  // The data dir's rein.yaml (where the desktop app saves) keeps the default `./skills` of the (trusted) working
  // folder: without it, the default would point at <data dir>/skills — the user folder — and the bundled skills vanish.
  const inDataDir = !options.file && file !== undefined && path.dirname(path.resolve(file)) === path.resolve(home);
  const config = parseConfig(text, { file, env, baseDir: file ? path.dirname(file) : ignored ? home : cwd, ...(inDataDir && !ignored ? { defaultsDir: cwd } : {}) });
  // Ignored project on defaults: no bundled registry at all (./skills would be the project's).
  const skills = ignored && !file ? { ...config.skills, registry: path.join(home, 'no-project-skills') } : config.skills;
  return { ...config, skills, ...(project ? { project } : {}) };
}

export function parseConfig(
  text: string,
  context: { file?: string; env?: NodeJS.ProcessEnv; baseDir?: string; defaultsDir?: string } = {},
): ReinConfig {
  const env = context.env ?? process.env;
  const { source, issues, secrets } = parseYaml(text, env);
  if (!source) throw new ConfigError(context.file, issues);
  if (!isPlainObject(source.data)) {
    throw new ConfigError(context.file, [{ path: '', message: 'the file must be a YAML mapping (key: value)', line: 1 }]);
  }
  const result = configSchema.safeParse(source.data);
  if (!result.success) {
    const envFailed = new Set(issues.map((issue) => issue.path));
    const schemaIssues = result.error.issues.flatMap((issue) => toIssues(issue, source));
    issues.push(...schemaIssues.filter((issue) => !envFailed.has(issue.path)));
  }
  if (result.success) issues.push(...storeIssues(result.data.memory, secrets, source));
  if (issues.length > 0 || !result.success) throw new ConfigError(context.file, issues);
  const baseDir = context.baseDir ?? process.cwd();
  // A default (not written in the file) relative path resolves against `defaultsDir` when given.
  const registrySet = isPlainObject(source.data.skills) && (source.data.skills as Record<string, unknown>).registry !== undefined;
  const registryBase = registrySet ? baseDir : (context.defaultsDir ?? baseDir);
  const secretSet = new Set(secrets);
  const config = resolve(result.data, baseDir, env, context.file, { env, secrets: secretSet, issues }, registryBase);
  const located = issues.map((issue) => ({ ...issue, ...source.locate(issue.path.split('.')) }));
  // OTEL_* variables apply on top of the file; then the collector must pass the egress policy.
  const telemetry = resolveTelemetry(config.telemetry, env);
  telemetry.secrets.forEach((secret) => secretSet.add(secret));
  const fromEnv = (key: string) => (telemetry.fromEnv[key] ? ` (from ${telemetry.fromEnv[key]})` : '');
  const at = (key: string) => (telemetry.fromEnv[key] ? {} : (source.locate(key.split('.')) ?? {}));
  located.push(...telemetry.problems); // bad OTEL_* values: no file line
  located.push(...telemetryEgressProblems(telemetry.telemetry, config.policy).map((p) => ({ path: p.path, message: `${p.url}${fromEnv(p.path)}: ${p.message}`, ...at(p.path) })));
  if (located.length > 0) {
    // A model the egress policy refuses is an attempted egress (the CLI audits it), whatever else is wrong.
    throw located.some((issue) => issue.egress) ? new ModelEgressError(context.file, located) : new ConfigError(context.file, located);
  }
  return { ...config, telemetry: telemetry.telemetry, secrets: [...secretSet] };
}

function resolve(parsed: ConfigFile, baseDir: string, env: NodeJS.ProcessEnv, file: string | undefined, context: ResolveContext, registryBase = baseDir): Omit<ReinConfig, 'secrets'> {
  const home = dataDir(env);
  const model = resolveModelSource(parsed.model, 'model', 'model', context);
  const providers = Object.fromEntries(Object.entries(parsed.providers).map(([id, section]) => [id, resolveModelSource(section, `providers.${id}`, id, context)]));
  const machineFile = machinePolicyFile(env);
  const machine = readMachinePolicy(machineFile);
  const tightened = machine ? tightenPolicy(parsed.policy, machine) : undefined;
  const policy = tightened?.policy ?? parsed.policy;
  const origin = tightened?.forced.some((key) => key !== 'offline') ? { machineFile } : {};
  for (const [path, source] of [['model', model] as const, ...Object.entries(providers).map(([id, p]) => [`providers.${id}`, p] as const)]) {
    const verdict = modelEgressIssue(source, policy, path, origin);
    if (verdict && verdict !== 'pending') context.issues.push({ ...verdict, egress: true });
  }
  return {
    ...parsed,
    model,
    providers,
    policy,
    ...(tightened?.forced.length ? { machinePolicy: { file: machineFile, forced: tightened.forced } } : {}),
    skills: {
      ...parsed.skills,
      registry: path.resolve(registryBase, parsed.skills.registry),
      user_dir: parsed.skills.user_dir ? path.resolve(baseDir, parsed.skills.user_dir) : path.join(home, 'skills'),
    },
    knowledge: resolveKnowledge(parsed.knowledge, baseDir),
    memory: resolveMemory(parsed.memory, baseDir, home),
    file,
    dataDir: home,
  };
}

/** memory.episodic / memory.semantic: the SQLite file in `path`, server URLs as given (checked by storeIssues). */
function resolveMemory(memory: ConfigFile['memory'], baseDir: string, home: string): ReinConfig['memory'] {
  const { episodic, semantic, ...rest } = memory;
  const episodicAt = episodic ? parseStoreLocation(episodic, baseDir) : undefined;
  const file = episodicAt?.kind === 'sqlite' ? episodicAt.path : memory.path ? path.resolve(baseDir, memory.path) : path.join(home, 'rein.db');
  const server = episodicAt?.kind === 'postgres' ? episodicAt.url : undefined;
  const other = semantic && semantic.trim() !== 'same' && semantic.trim() !== server ? semantic.trim() : undefined;
  return { ...rest, path: file, ...(server ? { episodic: server } : {}), ...(other ? { semantic: other } : {}) };
}

/** Bad store URLs and passwords written in clear, with the key and line. */
function storeIssues(memory: ConfigFile['memory'], secrets: readonly string[], source: YamlSource): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const problem = (key: 'episodic' | 'semantic', message: string) => issues.push({ path: `memory.${key}`, message, ...source.locate(['memory', key]) });
  if (memory.episodic) {
    try {
      parseStoreLocation(memory.episodic, '.');
    } catch (error) {
      problem('episodic', (error as Error).message);
    }
    if (memory.path && !isPostgresUrl(memory.episodic)) problem('episodic', 'memory.path and a sqlite: episodic store both name the memory file: keep one');
  }
  const semantic = memory.semantic?.trim();
  if (semantic && semantic !== 'same' && !isPostgresUrl(semantic) && !isQdrantUrl(semantic)) {
    problem('semantic', 'use `same` (the episodic store), a postgres:// URL or qdrant://host:port/collection');
  }
  if (semantic && isQdrantUrl(semantic)) {
    try {
      parseQdrantLocation(semantic);
    } catch (error) {
      problem('semantic', (error as Error).message);
    }
  }
  for (const key of ['episodic', 'semantic'] as const) {
    const value = memory[key];
    const clear = value && (isPostgresUrl(value) || isQdrantUrl(value)) ? literalPasswordProblem(value, secrets) : undefined;
    if (clear) problem(key, clear);
  }
  return issues;
}

function toIssues(issue: z.core.$ZodIssue, source: YamlSource): ConfigIssue[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      path: formatPath([...issue.path, key]),
      message: `unknown key "${key}"${suggest(key, issue.path)}`,
      ...source.locate(issue.path, key),
    }));
  }
  if (issue.code === 'invalid_union' && issue.path[0] === 'mcp_servers' && issue.path.at(-2) === 'auth') {
    return [{ path: formatPath(issue.path), message: 'use `oauth`, `oidc` or `mtls`', ...source.locate(issue.path) }];
  }
  if (issue.code === 'invalid_union' && issue.path[0] === 'mcp_servers') {
    // The transport is clear (it has `url` or `command`) and only something inside is wrong: say that.
    const branch = issue.errors.find((issues) => issues.length > 0 && issues.every((i) => i.path.length > 0 && !(i.path.length === 1 && (i.path[0] === 'command' || i.path[0] === 'url'))));
    if (branch) return branch.flatMap((inner) => toIssues({ ...inner, path: [...issue.path, ...inner.path] } as z.core.$ZodIssue, source));
    return [{ path: formatPath(issue.path), message: 'an MCP server needs either `command` (stdio) or `url` (HTTP), with only the keys that transport takes', ...source.locate(issue.path) }];
  }
  return [{ path: formatPath(issue.path), message: schemaIssueText(issue, valueAt(source.data, issue.path)), ...source.locate(issue.path) }];
}

function valueAt(data: unknown, at: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of at) value = isPlainObject(value) || Array.isArray(value) ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

const KNOWN_SECTIONS = Object.keys(configSchema.shape);

function suggest(key: string, parentPath: readonly PropertyKey[]): string {
  if (parentPath.length > 0) return '';
  const close = KNOWN_SECTIONS.find((section) => editDistance(section, key.toLowerCase()) <= 2);
  return close ? ` (did you mean "${close}"?)` : ` (known sections: ${KNOWN_SECTIONS.join(', ')})`;
}

function resolveFile(explicit: string | undefined, cwd: string | undefined, home: string): string | undefined {
  if (explicit) {
    const file = path.resolve(cwd ?? process.cwd(), explicit);
    if (!fs.existsSync(file)) throw new ConfigError(file, [{ path: '', message: 'config file not found' }]);
    return file;
  }
  return [...(cwd ? [path.join(cwd, DEFAULT_CONFIG_FILE)] : []), path.join(home, DEFAULT_CONFIG_FILE)].find((file) => fs.existsSync(file));
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [{ path: '', message: `cannot read file: ${(error as Error).message}` }]);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
