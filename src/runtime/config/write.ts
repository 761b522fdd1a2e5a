// Saves the settings the desktop UI may change (model name, context size) into rein.yaml, keeping comments.
import fs from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './errors.ts';
import { DEFAULT_CONFIG_FILE, type ReinConfig } from './load.ts';
import { modelSchema, type ProviderKind } from './sections/model.ts';
import { DEFAULT_OLLAMA_URL, type ModelConfig } from './model-config.ts';

/** The file UI changes go to: the config in use, else <data dir>/rein.yaml. */
export function writableConfigFile(config: ReinConfig): string {
  return config.file ?? path.join(config.dataDir, DEFAULT_CONFIG_FILE);
}

/**
 * Validates and writes model.name / model.num_ctx (and model.provider when given: a server URL of another provider
 * is dropped with it); returns the model config to use from now on.
 */
export function saveModelChoice(config: ReinConfig, choice: { name: string; numCtx?: number; provider?: ProviderKind }): ModelConfig {
  const file = writableConfigFile(config);
  const checked = modelSchema.pick({ name: true, num_ctx: true }).required({ name: true }).safeParse({ name: choice.name, num_ctx: choice.numCtx });
  if (!checked.success) {
    throw new ConfigError(file, checked.error.issues.map((issue) => ({ path: `model.${issue.path.join('.')}`, message: issue.message })));
  }
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const document = parseDocument(text);
  if (document.errors.length > 0) throw new ConfigError(file, [{ path: '', message: `cannot update: ${document.errors[0]!.message}` }]);
  if (choice.provider && choice.provider !== config.model.provider) {
    document.setIn(['model', 'provider'], choice.provider);
    for (const key of ['base_url', 'host', 'flavor', 'api_key', 'threads', 'gpu']) document.deleteIn(['model', key]);
  }
  document.setIn(['model', 'name'], checked.data.name);
  if (checked.data.num_ctx === undefined) document.deleteIn(['model', 'num_ctx']);
  else document.setIn(['model', 'num_ctx'], checked.data.num_ctx);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, document.toString());
  const { num_ctx: _previous, ...rest } = config.model;
  const provider = choice.provider && choice.provider !== config.model.provider ? { provider: choice.provider, base_url: choice.provider === 'ollama' ? DEFAULT_OLLAMA_URL : '' } : {};
  return { ...rest, ...provider, name: checked.data.name, ...(checked.data.num_ctx === undefined ? {} : { num_ctx: checked.data.num_ctx }) };
}
