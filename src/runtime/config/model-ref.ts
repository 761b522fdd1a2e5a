// `--model`, a conversation, a schedule or a subagent role name a model as `name` (the configured provider),
// `<provider id>:name` (an entry under `providers:`) or `<kind>:name` (ollama, openai_compatible, anthropic, embedded).
import { ConfigError } from './errors.ts';
import type { ReinConfig } from './load.ts';
import { resolveModelSource, type ModelConfig } from './model-config.ts';
import { ModelEgressError, modelEgressIssue } from './model-egress.ts';
import { PROVIDER_KINDS, providersSchema, type ProviderKind } from './sections/model.ts';

/** The model config a reference names; refused (ModelEgressError) when policy.model_egress does not allow it. */
export function resolveModelRef(config: Pick<ReinConfig, 'model' | 'providers' | 'policy' | 'machinePolicy'>, ref: string): ModelConfig {
  const text = ref.trim();
  if (!text) throw new ConfigError(undefined, [{ path: 'model', message: 'an empty model name' }]);
  const colon = text.indexOf(':');
  const prefix = colon > 0 ? text.slice(0, colon) : '';
  const rest = colon > 0 ? text.slice(colon + 1) : '';
  let model: ModelConfig;
  if (prefix && config.providers[prefix]) model = named(config.providers[prefix], rest);
  else if ((PROVIDER_KINDS as readonly string[]).includes(prefix)) model = ofKind(config, prefix as ProviderKind, rest);
  else model = { ...config.model, name: text };
  const verdict = modelEgressIssue(model, config.policy, model.source === 'model' ? 'model' : `providers.${model.source}`, config.machinePolicy?.forced.some((k) => k !== 'offline') ? { machineFile: config.machinePolicy.file } : {});
  if (verdict && verdict !== 'pending') throw new ModelEgressError(config.machinePolicy?.file, [{ ...verdict, message: `${text}: ${verdict.message}` }]);
  return model;
}

/** `<provider id>:` alone keeps that entry's own model name. */
function named(model: ModelConfig, name: string): ModelConfig {
  return name ? { ...model, name } : model;
}

/** The configured source of that kind (model first, then providers), else that kind's defaults. */
function ofKind(config: Pick<ReinConfig, 'model' | 'providers'>, kind: ProviderKind, name: string): ModelConfig {
  const configured = [config.model, ...Object.values(config.providers)].find((m) => m.provider === kind);
  if (configured) return named(configured, name);
  const issues: { path: string; message: string }[] = [];
  const section = providersSchema.parse({ [kind]: { provider: kind, ...(name ? { name } : {}), temperature: config.model.temperature } })[kind]!;
  const model = resolveModelSource(section, `providers.${kind}`, kind, { env: process.env, secrets: new Set(), issues });
  if (issues.length) throw new ConfigError(undefined, issues.map((issue) => ({ ...issue, message: `${kind}:${name}: ${issue.message}` })));
  return model;
}
