// The ephemeral home of one subagent: its own data dir (fresh SQLite, traces) and a rein.yaml derived from the
// parent's config with the subagent limits applied. Removed when the subagent ends.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ReinConfig } from '../config/index.ts';
import type { AgentRole } from './roles.ts';

export const CHILD_HOME_PREFIX = 'rein-agent-';

export interface ChildHome {
  dir: string;
  configFile: string;
  remove(): void;
}

/** Writes `<tmp>/rein-agent-*` with rein.yaml; `modelHost` overrides the model URL (e.g. from inside a container). */
export function createChildHome(config: ReinConfig, role: AgentRole, modelHost?: string): ChildHome {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), CHILD_HOME_PREFIX));
  const configFile = path.join(dir, 'rein.yaml');
  fs.writeFileSync(configFile, stringify(childConfig(config, role, modelHost)), { mode: 0o600 });
  return { dir, configFile, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The parent's settings minus everything that points at the parent's data (memory path, data dir) or is derived
 * at load time (secrets). A subagent reads the parent's skills but never learns new ones.
 */
export function childConfig(config: ReinConfig, role: AgentRole, modelHost?: string): Record<string, unknown> {
  const { file: _file, dataDir: _dataDir, secrets: _secrets, memory, ...sections } = config;
  const { path: _memoryPath, ...memoryRest } = memory;
  const systemPrompt = role.system_prompt ?? config.runtime.system_prompt;
  return {
    ...sections,
    model: { ...config.model, ...(modelHost ? { host: modelHost } : {}) },
    runtime: { ...config.runtime, max_steps: config.agents.max_steps, ...(systemPrompt ? { system_prompt: systemPrompt } : {}) },
    skills: { ...config.skills, auto_learn: false },
    memory: memoryRest,
  };
}
