// How a parent tells a child Rein process what it may do: environment variables read once at start.
import { SubagentError } from './errors.ts';

export const ENV_DEPTH = 'REIN_AGENT_DEPTH';
export const ENV_TOOLS = 'REIN_AGENT_TOOLS';
export const ENV_SKILLS = 'REIN_AGENT_SKILLS';
export const ENV_ROLE = 'REIN_AGENT_ROLE';
/** `parent`: the subagent's model calls go to its parent over stdio (it needs no network and no provider). */
export const ENV_MODEL = 'REIN_AGENT_MODEL';
/** The W3C trace context a child's runs continue (the standard variable name for context in the environment). */
export const ENV_TRACEPARENT = 'TRACEPARENT';

export interface AgentScope {
  /** 0 for a top-level Rein, n for a subagent n levels down. */
  depth: number;
  /** Only these tools (undefined: no restriction, a top-level Rein). */
  tools?: string[];
  /** Only these skills (undefined: no restriction). */
  skills?: string[];
  role?: string;
  /** Where its model calls go: its parent over stdio, or the configured model server directly. */
  model?: 'parent' | 'direct';
}

export function scopeFromEnv(env: NodeJS.ProcessEnv): AgentScope {
  const depth = env[ENV_DEPTH] ? Number(env[ENV_DEPTH]) : 0;
  if (!Number.isInteger(depth) || depth < 0) throw new SubagentError(`${ENV_DEPTH} must be a whole number ≥ 0, got "${env[ENV_DEPTH]}"`);
  return {
    depth,
    ...(env[ENV_TOOLS] !== undefined ? { tools: nameList(env, ENV_TOOLS) } : {}),
    ...(env[ENV_SKILLS] !== undefined ? { skills: nameList(env, ENV_SKILLS) } : {}),
    ...(env[ENV_ROLE] ? { role: env[ENV_ROLE] } : {}),
    ...(env[ENV_MODEL] ? { model: modelRoute(env[ENV_MODEL]) } : {}),
  };
}

function modelRoute(value: string): 'parent' | 'direct' {
  if (value === 'parent' || value === 'direct') return value;
  throw new SubagentError(`${ENV_MODEL} must be "parent" or "direct", got "${value}"`);
}

export function scopeToEnv(scope: Required<AgentScope>): Record<string, string> {
  return {
    [ENV_DEPTH]: String(scope.depth),
    [ENV_TOOLS]: JSON.stringify(scope.tools),
    [ENV_SKILLS]: JSON.stringify(scope.skills),
    [ENV_ROLE]: scope.role,
    [ENV_MODEL]: scope.model,
  };
}

function nameList(env: NodeJS.ProcessEnv, key: string): string[] {
  try {
    const value: unknown = JSON.parse(env[key]!);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // reported below
  }
  throw new SubagentError(`${key} must be a JSON array of names, got ${JSON.stringify(env[key])}`);
}
