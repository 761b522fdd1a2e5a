// The machine policy: a file an administrator owns that can tighten what a user's rein.yaml says, never loosen it.
// Linux /etc/rein/policy.yaml, macOS /Library/Application Support/Rein/policy.yaml, Windows %ProgramData%\Rein\policy.yaml.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { schemaIssueText } from './issue-text.ts';
import { ConfigError } from './errors.ts';
import { MODEL_EGRESS, type PolicyConfig } from './sections/policy.ts';

const machinePolicySchema = z.strictObject({
  policy: z
    .strictObject({
      model_egress: z.enum(MODEL_EGRESS).optional(),
      allowed_model_hosts: z.array(z.string().min(1)).optional(),
      /** true: offline mode on, whatever rein.yaml says. */
      offline: z.literal(true).optional(),
    })
    .prefault({}),
});

export type MachinePolicy = z.output<typeof machinePolicySchema>['policy'];

/** The documented place per OS; REIN_MACHINE_POLICY names another file (packaging, tests). */
export function machinePolicyFile(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.REIN_MACHINE_POLICY) return path.resolve(env.REIN_MACHINE_POLICY);
  if (platform === 'win32') return path.join(env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData', 'Rein', 'policy.yaml');
  if (platform === 'darwin') return '/Library/Application Support/Rein/policy.yaml';
  return '/etc/rein/policy.yaml';
}

/** The machine policy, or undefined when there is none. A file that exists but is wrong stops Rein (fail closed). */
export function readMachinePolicy(file: string): MachinePolicy | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new ConfigError(file, [{ path: '', message: `cannot read the machine policy: ${(error as Error).message}` }]);
  }
  const document = parseDocument(text, { uniqueKeys: true });
  if (document.errors.length) throw new ConfigError(file, [{ path: '', message: `machine policy: YAML syntax: ${document.errors[0]!.message.split('\n')[0]}` }]);
  const data: unknown = document.toJS({ maxAliasCount: 10 }) ?? {};
  const parsed = machinePolicySchema.safeParse(data);
  if (!parsed.success) {
    const valueAt = (at: readonly PropertyKey[]) => at.reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[key] : undefined), data);
    throw new ConfigError(file, parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: `machine policy: ${schemaIssueText(issue, valueAt(issue.path))}` })));
  }
  return parsed.data.policy;
}

/** The stricter of the user's policy and the machine's, and which keys the machine policy decided. */
export function tightenPolicy(user: PolicyConfig, machine: MachinePolicy): { policy: PolicyConfig; forced: string[] } {
  const forced: string[] = [];
  let policy = user;
  const rank = (egress: PolicyConfig['model_egress']) => MODEL_EGRESS.indexOf(egress);
  if (machine.model_egress && rank(machine.model_egress) < rank(user.model_egress)) {
    policy = { ...policy, model_egress: machine.model_egress };
    forced.push('model_egress');
  }
  if (machine.allowed_model_hosts && policy.model_egress === 'allow_list') {
    // Both lists apply: only hosts the machine allows too (the user's list when it had none, the machine's).
    const machineHosts = new Set(machine.allowed_model_hosts.map((h) => h.toLowerCase()));
    const hosts = user.model_egress === 'allow_list' ? user.allowed_model_hosts.filter((h) => machineHosts.has(h.toLowerCase())) : machine.allowed_model_hosts;
    policy = { ...policy, allowed_model_hosts: hosts };
    forced.push('allowed_model_hosts');
  }
  if (machine.offline && !user.offline) {
    policy = { ...policy, offline: true };
    forced.push('offline');
  }
  return { policy, forced };
}
