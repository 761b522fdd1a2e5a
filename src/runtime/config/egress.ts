// Where Rein may send run data of its own accord besides the model — today the OTLP collector — checked when the
// config loads: an endpoint the egress policy forbids is a config error, never a silent export. Off this machine it
// must pass both rules: policy.model_egress (run data leaves only where models may run: `any`, or `allow_list` with
// the host in allowed_model_hosts) and policy.offline (the host in allow_hosts). The socket-level guard
// (policy/egress.ts) then lets exactly that endpoint through while a runtime is open.
import { isLoopbackHost } from './model-egress.ts';
import type { PolicyConfig } from './sections/policy.ts';
import { otlpUrls, type TelemetryConfig } from './sections/telemetry.ts';

export type EndpointPolicy = Pick<PolicyConfig, 'offline' | 'allow_hosts' | 'model_egress' | 'allowed_model_hosts'>;

/** Why `url` may not receive run data under `policy`; undefined when it may. */
export function endpointEgressProblem(policy: EndpointPolicy, url: string): string | undefined {
  const target = new URL(url);
  const host = bareHost(target.hostname);
  const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
  if (isLoopbackHost(host)) return undefined;
  const listed = (entries: readonly string[]) => entries.some((entry) => allows(entry, host, port));
  const problems: string[] = [];
  const fixes: string[] = [];
  if (policy.model_egress === 'local_only' || (policy.model_egress === 'allow_list' && !listed(policy.allowed_model_hosts))) {
    problems.push(`policy.model_egress is ${policy.model_egress}`);
    fixes.push(policy.model_egress === 'local_only' ? `policy.model_egress: allow_list with allowed_model_hosts: [${target.host}] (or model_egress: any)` : `add "${target.host}" to policy.allowed_model_hosts`);
  }
  if (policy.offline && !listed(policy.allow_hosts)) {
    problems.push('policy.offline is on');
    fixes.push(`add "${target.host}" to policy.allow_hosts (or policy.offline: false)`);
  }
  if (!problems.length) return undefined;
  return `${target.host} is not on this machine and ${problems.join(' and ')}: use a collector on loopback, or ${fixes.join(', and ')}`;
}

/** Every endpoint of the telemetry section that the policy forbids, by key path. */
export function telemetryEgressProblems(telemetry: TelemetryConfig, policy: EndpointPolicy): { path: string; url: string; message: string }[] {
  if (!telemetry.enabled) return [];
  const urls = otlpUrls(telemetry);
  const keyOf = (signal: 'traces' | 'metrics') => (telemetry.otlp[`${signal}_endpoint`] ? `telemetry.otlp.${signal}_endpoint` : 'telemetry.otlp.endpoint');
  const problems = (['traces', 'metrics'] as const).flatMap((signal) => {
    const url = urls[signal];
    const message = url ? endpointEgressProblem(policy, url) : undefined;
    return url && message ? [{ path: keyOf(signal), url, message }] : [];
  });
  return problems.filter((p, i) => problems.findIndex((q) => q.path === p.path) === i);
}

/** An allow-list entry: `host` (any port) or `host:port` / `[v6]:port`. */
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
