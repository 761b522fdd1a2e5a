// Regulated mode: where a model may run (policy.model_egress). A model source on a host the policy does not allow is
// refused when the config loads — a cloud call that succeeds would itself be the breach.
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { ConfigError, type ConfigIssue } from './errors.ts';
import type { ModelConfig } from './model-config.ts';
import type { ModelEgress } from './sections/policy.ts';

export interface EgressPolicy {
  model_egress: ModelEgress;
  allowed_model_hosts: string[];
}

/** Who set the egress policy: the user's rein.yaml, or a machine policy file that tightened it. */
export interface EgressOrigin {
  machineFile?: string;
}

/** The model source is refused by policy.model_egress. */
export class ModelEgressError extends ConfigError {}

/** Loopback names and addresses: the model runs on this machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (h === 'localhost' || h.endsWith('.localhost') || h === '::1') return true;
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7));
  return net.isIPv4(h) && h.startsWith('127.');
}

/** The host a model source connects to (undefined: nothing leaves the process, e.g. the embedded engine). */
export function modelHost(model: ModelConfig): { host: string; port: number } | undefined {
  if (!model.base_url) return undefined;
  const url = new URL(model.base_url);
  return { host: url.hostname.replace(/^\[|\]$/g, '').toLowerCase(), port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)) };
}

/** A model on a host other than this machine: shown with a "cloud" badge. */
export function isRemoteModel(model: ModelConfig): boolean {
  const target = modelHost(model);
  return target !== undefined && !isLoopbackHost(target.host);
}

/**
 * What can be decided without DNS: loopback is always fine; `any` allows everything; `local_only` refuses every
 * other host (a name is not trusted to resolve to loopback); `allow_list` accepts an entry matching by name
 * (`host` or `host:port`) and leaves other names to {@link verifyModelEgress}.
 */
export function modelEgressIssue(model: ModelConfig, policy: EgressPolicy, path: string, origin: EgressOrigin = {}): ConfigIssue | 'pending' | undefined {
  const target = modelHost(model);
  if (!target || isLoopbackHost(target.host) || policy.model_egress === 'any') return undefined;
  if (policy.model_egress === 'allow_list') {
    if (policy.allowed_model_hosts.some((entry) => matchesEntry(entry, target))) return undefined;
    if (!net.isIP(target.host) || policy.allowed_model_hosts.some((entry) => !net.isIP(parseEntry(entry).host))) return 'pending';
  }
  return { path: `${path}.${model.provider === 'anthropic' ? 'provider' : 'base_url'}`, message: refusal(model, target.host, policy, origin) };
}

/** The part that needs DNS (allow_list with names): the model host's addresses must be among the listed hosts' addresses. */
export async function verifyModelEgress(model: ModelConfig, policy: EgressPolicy, path: string, origin: EgressOrigin = {}): Promise<void> {
  const verdict = modelEgressIssue(model, policy, path, origin);
  if (verdict === undefined) return;
  if (verdict !== 'pending') throw new ModelEgressError(origin.machineFile, [verdict]);
  const target = modelHost(model)!;
  const addresses = await resolveAll(target.host);
  if (addresses.length && addresses.every(isLoopbackHost)) return;
  const allowed = new Set<string>();
  for (const entry of policy.allowed_model_hosts) {
    const parsed = parseEntry(entry);
    if (parsed.port !== undefined && parsed.port !== target.port) continue;
    for (const address of await resolveAll(parsed.host)) allowed.add(address);
  }
  if (addresses.length && addresses.every((a) => allowed.has(a))) return;
  throw new ModelEgressError(origin.machineFile, [{ path: `${path}.base_url`, message: refusal(model, target.host, policy, origin) }]);
}

function refusal(model: ModelConfig, host: string, policy: EgressPolicy, origin: EgressOrigin): string {
  const what = `the ${model.provider} model at ${model.base_url} is on ${host}, not on this machine`;
  const by = origin.machineFile ? `the machine policy ${origin.machineFile} sets policy.model_egress: ${policy.model_egress} (it can only be changed there, by an administrator)` : `policy.model_egress is ${policy.model_egress}`;
  const fix = origin.machineFile
    ? 'use a local model (Ollama, an OpenAI-compatible server on 127.0.0.1, or provider: embedded)'
    : policy.model_egress === 'local_only'
      ? `use a local model, or allow this host: policy.model_egress: allow_list with policy.allowed_model_hosts: [${host}] (or model_egress: any)`
      : `add ${host} to policy.allowed_model_hosts (or set policy.model_egress: any)`;
  return `${what}: ${by} — ${fix}`;
}

function parseEntry(entry: string): { host: string; port?: number } {
  const text = entry.trim().toLowerCase();
  if (text.includes('://')) {
    const url = new URL(text);
    return { host: url.hostname.replace(/^\[|\]$/g, ''), ...(url.port ? { port: Number(url.port) } : {}) };
  }
  const match = /^\[([^\]]+)\](?::(\d+))?$/.exec(text) ?? (net.isIPv6(text) ? null : /^([^:]+)(?::(\d+))?$/.exec(text));
  if (!match) return { host: text };
  return { host: match[1]!, ...(match[2] ? { port: Number(match[2]) } : {}) };
}

function matchesEntry(entry: string, target: { host: string; port: number }): boolean {
  const parsed = parseEntry(entry);
  return parsed.host.replace(/\.$/, '') === target.host.replace(/\.$/, '') && (parsed.port === undefined || parsed.port === target.port);
}

async function resolveAll(host: string): Promise<string[]> {
  if (net.isIP(host)) return [host];
  try {
    return (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
}
