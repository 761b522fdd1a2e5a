// The ephemeral home of one subagent: its own data dir (fresh SQLite, traces) and a rein.yaml derived from the
// parent's config with the subagent limits applied. Removed when the subagent ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { isLoopbackHost, resolveModelRef, toModelSection, type ReinConfig } from '../config/index.ts';
import { containerModelHost } from './backends.ts';
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

/** Writes `<tmp>/rein-agent-*` with rein.yaml; `modelHost` overrides the model URL (e.g. from inside a container). */
export function createChildHome(config: ReinConfig, role: AgentRole, modelHost?: string): ChildHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), CHILD_HOME_PREFIX));
  const configFile = path.join(dir, 'rein.yaml');
  const { value, secretEnv } = referToSecrets(childConfig(config, role, modelHost), config.secrets);
  fs.writeFileSync(configFile, stringify(value), { mode: 0o600 });
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
 * at load time (secrets). A subagent reads the parent's skills but never learns new ones.
 */
export function childConfig(config: ReinConfig, role: AgentRole, modelHost?: string): Record<string, unknown> {
  const { file: _file, dataDir: _dataDir, secrets: _secrets, project: _project, machinePolicy: _machine, memory, model, providers, ...sections } = config;
  const { path: _memoryPath, ...memoryRest } = memory;
  const systemPrompt = role.system_prompt ?? config.runtime.system_prompt;
  return {
    ...sections,
    ...(modelHost ? containerTelemetry(config) : {}),
    model: { ...toModelSection(role.model ? resolveModelRef(config, role.model) : model), ...(modelHost ? { base_url: modelHost } : {}) },
    providers: Object.fromEntries(Object.entries(providers).map(([id, p]) => [id, toModelSection(p)])),
    runtime: { ...config.runtime, max_steps: config.agents.max_steps, ...(systemPrompt ? { system_prompt: systemPrompt } : {}) },
    skills: { ...config.skills, auto_learn: false },
    memory: memoryRest,
  };
}

/**
 * Inside a container the host's loopback collector is reached through the Docker host alias: the telemetry endpoints
 * are rewritten, and the alias (for exactly those ports) joins policy.allow_hosts (and allowed_model_hosts under
 * model_egress: allow_list). Under model_egress: local_only the child refuses the alias, as it does for the model.
 */
function containerTelemetry(config: ReinConfig): Pick<ReinConfig, 'telemetry' | 'policy'> {
  const { telemetry, policy } = config;
  if (!telemetry.enabled) return { telemetry, policy };
  const aliases: string[] = [];
  const rewrite = (url: string | undefined) => {
    if (!url || !isLoopbackHost(new URL(url).hostname)) return url;
    const moved = new URL(containerModelHost(url));
    aliases.push(`${moved.hostname}:${moved.port || (moved.protocol === 'https:' ? 443 : 80)}`);
    return containerModelHost(url);
  };
  const otlp = { ...telemetry.otlp, endpoint: rewrite(telemetry.otlp.endpoint)! };
  for (const key of ['traces_endpoint', 'metrics_endpoint'] as const) {
    const url = rewrite(telemetry.otlp[key]);
    if (url) otlp[key] = url;
  }
  const add = (list: string[]) => [...new Set([...list, ...aliases])];
  const allowList = policy.model_egress === 'allow_list' ? { allowed_model_hosts: add(policy.allowed_model_hosts) } : {};
  return { telemetry: { ...telemetry, otlp }, policy: { ...policy, allow_hosts: add(policy.allow_hosts), ...allowList } };
}
