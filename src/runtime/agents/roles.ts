// Roles from `agents.roles`, and what a subagent of a role may use: never more than its parent has.
import type { AgentsConfig } from '../config/index.ts';
import { SubagentError } from './errors.ts';

export type AgentRole = AgentsConfig['roles'][string];

/** The role used when a call names none. */
export const DEFAULT_ROLE = 'default';
const DEFAULT_ROLE_CONFIG: AgentRole = { description: 'a general helper with the parent\'s tools', tools: ['*'], skills: [], mounts: [] };

export function resolveRole(agents: AgentsConfig, name: string | undefined): { name: string; role: AgentRole } {
  const roleName = name?.trim() || DEFAULT_ROLE;
  // Own keys only: `__proto__` or `constructor` must be unknown roles, not Object.prototype.
  const role = Object.hasOwn(agents.roles, roleName) ? agents.roles[roleName] : roleName === DEFAULT_ROLE ? DEFAULT_ROLE_CONFIG : undefined;
  if (!role) {
    const known = [DEFAULT_ROLE, ...Object.keys(agents.roles).filter((r) => r !== DEFAULT_ROLE)];
    throw new SubagentError(`unknown subagent role "${roleName}" (agents.roles has: ${known.join(', ')})`);
  }
  return { name: roleName, role };
}

/** Tool names the child may use: those of the parent that the role's globs match. */
export function allowedTools(roleGlobs: readonly string[], parentTools: readonly string[]): string[] {
  return parentTools.filter((name) => matchesAny(roleGlobs, name));
}

export function matchesAny(globs: readonly string[], name: string): boolean {
  return globs.some((glob) => globToRegExp(glob).test(name));
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${escaped}$`);
}
