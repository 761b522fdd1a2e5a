// The model's API key in Settings: typed once, kept in the OS keychain (else a 0600 file), named in rein.yaml as
// `api_key: keychain:NAME`. The settings view only ever says where the key comes from, never what it is.
import fs from 'node:fs';
import { parseDocument, type Document } from 'yaml';
import type { SettingIssue } from '../../common/index.ts';
import { openKeychain } from '../keychain/index.ts';
import { SECRETS_SERVICE } from './model-config.ts';
import type { ReinConfig } from './load.ts';

const KEY = ['model', 'api_key'];
const REFERENCE = /^(keychain:[\w.-]+|\$\{env:[A-Za-z_][A-Za-z0-9_]*\})$/;

/** Where the configured model's key comes from (`keychain:NAME`, `${env:NAME}`), or null. */
export function modelKeyReference(config: ReinConfig): string | null {
  const raw = config.file && fs.existsSync(config.file) ? parseDocument(fs.readFileSync(config.file, 'utf8')).getIn(KEY) : undefined;
  if (typeof raw === 'string') return REFERENCE.test(raw.trim()) ? raw.trim() : 'set in rein.yaml';
  if (config.model.provider === 'anthropic' && config.model.api_key) return '${env:ANTHROPIC_API_KEY}';
  return null;
}

/** A key being stored; `undo` puts the keychain back as it was when the save is refused. */
export interface StagedKey {
  issues: SettingIssue[];
  undo: () => void;
}

/**
 * Stores `value` for the model named in `document` (after the other changes) and points rein.yaml at it. An existing
 * `keychain:NAME` keeps its name; otherwise the name is the provider's (`anthropic`, `openai-compatible`).
 */
export function stageModelKey(document: Document, value: string, env: NodeJS.ProcessEnv): StagedKey {
  const key = value.trim();
  if (!key || /\s/.test(key)) return { issues: [{ key: 'model.api_key', message: 'an API key is one line without spaces; paste it again' }], undo: () => undefined };
  const current = document.getIn(KEY);
  const existing = typeof current === 'string' ? /^keychain:([\w.-]+)$/.exec(current.trim())?.[1] : undefined;
  const provider = document.getIn(['model', 'provider']);
  const name = existing ?? (typeof provider === 'string' && provider !== 'auto' ? provider.replaceAll('_', '-') : 'model');
  const keychain = openKeychain({ env });
  const before = keychain.get(SECRETS_SERVICE, name);
  keychain.set(SECRETS_SERVICE, name, key);
  document.setIn(KEY, `keychain:${name}`);
  return {
    issues: [],
    undo: () => {
      if (before) keychain.set(SECRETS_SERVICE, name, before.value);
      else keychain.delete(SECRETS_SERVICE, name);
    },
  };
}

/** After a saved removal of `api_key`: the keychain entry it named goes too, unless the file still names it elsewhere. */
export function forgetUnusedKey(previous: unknown, text: string, env: NodeJS.ProcessEnv): void {
  const name = typeof previous === 'string' ? /^keychain:([\w.-]+)$/.exec(previous.trim())?.[1] : undefined;
  if (name && !text.includes(`keychain:${name}`)) openKeychain({ env }).delete(SECRETS_SERVICE, name);
}
