// Where Rein may send data on its own, checked when the config loads: an endpoint the egress policy forbids is a
// config error, never a silent export. The same rule serves every such endpoint (today the OTLP collector); the
// socket-level guard (policy/egress.ts) then enforces it while a runtime is open.
import type { PolicyConfig } from './sections/policy.ts';
import { otlpUrls, type TelemetryConfig } from './sections/telemetry.ts';

export type EgressPolicy = Pick<PolicyConfig, 'offline' | 'allow_hosts'>;

/** Why `url` may not be reached under `policy`; undefined when it may. */
export function egressProblem(policy: EgressPolicy, url: string): string | undefined {
  if (!policy.offline) return undefined;
  const target = new URL(url);
  const host = bareHost(target.hostname);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (isLoopbackHost(host)) return undefined;
  if (policy.allow_hosts.some((entry) => allows(entry, host, port))) return undefined;
  return `${target.host} is not on this machine and policy.offline is on: use a collector on loopback, add "${target.host}" to policy.allow_hosts, or set policy.offline: false`;
}

/** Every endpoint of the telemetry section that the policy forbids, by key path. */
export function telemetryEgressProblems(telemetry: TelemetryConfig, policy: EgressPolicy): { path: string; url: string; message: string }[] {
  if (!telemetry.enabled) return [];
  const urls = otlpUrls(telemetry);
  const keyOf = (signal: 'traces' | 'metrics') => (telemetry.otlp[`${signal}_endpoint`] ? `telemetry.otlp.${signal}_endpoint` : 'telemetry.otlp.endpoint');
  const problems = (['traces', 'metrics'] as const).flatMap((signal) => {
    const url = urls[signal];
    const message = url ? egressProblem(policy, url) : undefined;
    return url && message ? [{ path: keyOf(signal), url, message }] : [];
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i);
}

export function isLoopbackHost(host: string): boolean {
  const h = bareHost(host);
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** An allow_hosts entry: `host` (any port) or `host:port` / `[v6]:port`. */
function allows(entry: string, host: string, port: number): boolean {
  const text = entry.trim().toLowerCase();
  const bareV6 = !text.startsWith('[') && (text.match(/:/g) ?? []).length > 1;
  if (bareV6) return bareHost(text) === host;
  try {
    const parsed = new URL(`http://${text}`);
    const given = /:(\d+)$/.exec(text)?.[1]; // URL drops a default port (":80")
    return bareHost(parsed.hostname) === host && (given === undefined || Number(given) === port);
  } catch {
    return false;
  }
}

function bareHost(host: string): string {
  return host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
}
