// The ephemeral home of one subagent: its own data dir (fresh SQLite, traces) and a rein.yaml derived from the
// parent's config with the subagent limits applied. Removed when the subagent ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { isLoopbackHost, resolveModelRef, toModelSection, type ModelConfig, type ReinConfig } from '../config/index.ts';
import { modelUrlInContainer } from '../containers/index.ts';
import type { AgentRole } from './roles.ts';

export const CHILD_HOME_PREFIX = 'rein-agent-';

export interface ChildHome {
  dir: string;
  configFile: string;
  /** The parent's secrets, by the names the child's rein.yaml refers to (`${env:REIN_PARENT_SECRET_0}`): never on disk. */
  secretEnv: Record<string, string>;
  remove(): void;
}

const SECRET_PREFIX = 'REIN_PARENT_SECRET_';

/**
 * Writes `<tmp>/rein-agent-*` (0700) with rein.yaml; `modelHost` overrides the model URL (a `model-host` container's
 * alias). `inContainer`: the file is mounted into a container whose user is not this one, so it is readable by others;
 * it holds no secret (only references to them), and the folder around it stays private.
 */
export function createChildHome(config: ReinConfig, role: AgentRole, options: { modelHost?: string; inContainer?: boolean } = {}): ChildHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), CHILD_HOME_PREFIX));
  const configFile = path.join(dir, 'rein.yaml');
  const { value, secretEnv } = referToSecrets(childConfig(config, role, options.modelHost, options.inContainer), config.secrets);
  const mode = options.inContainer ? 0o644 : 0o600;
  fs.writeFileSync(configFile, stringify(value), { mode });
  fs.chmodSync(configFile, mode); // whatever the umask
  return { dir, configFile, secretEnv, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Every `${env:}` value in the config becomes a reference again, its value passed in the child's environment. */
export function referToSecrets(config: Record<string, unknown>, secrets: readonly string[]): { value: Record<string, unknown>; secretEnv: Record<string, string> } {
  const values = [...new Set(secrets)].filter((secret) => secret.length >= 4).sort((a, b) => b.length - a.length);
  const secretEnv: Record<string, string> = {};
  values.forEach((secret, i) => (secretEnv[`${SECRET_PREFIX}${i}`] = secret));
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return values.reduce((text, secret, i) => text.replaceAll(secret, `\${env:${SECRET_PREFIX}${i}}`), node);
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item)]));
    return node;
  };
  return { value: walk(config) as Record<string, unknown>, secretEnv };
}

/**
 * The parent's settings minus everything that points at the parent's data (memory path, data dir) or is derived
 * at load time (secrets), and minus model API keys unless it calls a model server itself (`modelHost`). A subagent reads the parent's skills but never learns new ones, and indexes no knowledge
 * (the parent's index is the parent's; re-indexing its folders per subagent would only cost time).
 */
export function childConfig(config: ReinConfig, role: AgentRole, modelHost?: string, container = modelHost !== undefined): Record<string, unknown> {
  const { file: _file, dataDir: _dataDir, secrets: _secrets, project: _project, machinePolicy: _machine, memory, model, providers, ...sections } = config;
  const { path: _memoryPath, ...memoryRest } = memory;
  const systemPrompt = role.system_prompt ?? config.runtime.system_prompt;
  // Without a model host of its own the subagent's model calls go through its parent: it never gets an API key.
  const section = (source: ModelConfig) => {
    const { api_key: _key, ...keyless } = toModelSection(source);
    return modelHost ? toModelSection(source) : keyless;
  };
  return {
    ...sections,
    model: { ...section(role.model ? resolveModelRef(config, role.model) : model), ...(modelHost ? { base_url: modelHost } : {}) },
    providers: Object.fromEntries(Object.entries(providers).map(([id, p]) => [id, section(p)])),
    runtime: { ...config.runtime, max_steps: config.agents.max_steps, ...(systemPrompt ? { system_prompt: systemPrompt } : {}) },
    skills: { ...config.skills, auto_learn: false },
    knowledge: { ...config.knowledge, enabled: false },
    memory: memoryRest,
    ...(container ? inContainer(config, modelHost) : {}),
  };
}

/**
 * A subagent in a container. With `model-host` it reaches the host's loopback through one alias: the model's URL and
 * loopback telemetry endpoints are rewritten to it, and exactly those host:port entries are let through
 * policy.allow_hosts and (the same local services) model_egress. Without a route nothing outside is reachable, so
 * it exports no telemetry of its own (its run is in the parent's events and trace).
 */
function inContainer(config: ReinConfig, modelHost: string | undefined): Pick<ReinConfig, 'telemetry' | 'policy'> {
  const { telemetry, policy } = config;
  if (!modelHost) return { telemetry: { ...telemetry, enabled: false }, policy };
  const entry = (url: string) => {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? 443 : 80)}`;
  };
  const collectors: string[] = [];
  const rewrite = (url: string | undefined) => {
    if (!url || !isLoopbackHost(new URL(url).hostname)) return url;
    const moved = modelUrlInContainer(url);
    collectors.push(entry(moved));
    return moved;
  };
  const otlp = { ...telemetry.otlp };
  if (telemetry.enabled) {
    otlp.endpoint = rewrite(telemetry.otlp.endpoint)!;
    for (const key of ['traces_endpoint', 'metrics_endpoint'] as const) {
      const url = rewrite(telemetry.otlp[key]);
      if (url) otlp[key] = url;
    }
  }
  const add = (list: string[], more: string[]) => [...new Set([...list, ...more])];
  // The model alias needs no allow_hosts entry (offline mode lets the model host through); collectors do.
  const egress = policy.model_egress === 'any' ? {} : { model_egress: 'allow_list' as const, allowed_model_hosts: add(policy.allowed_model_hosts, [entry(modelHost), ...collectors]) };
  return { telemetry: { ...telemetry, otlp }, policy: { ...policy, allow_hosts: add(policy.allow_hosts, collectors), ...egress } };
}
