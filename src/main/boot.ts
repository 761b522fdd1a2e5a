// Loads the config and creates the runtime; a failure becomes a message for the user, not a crash.
import type { RuntimeApi } from '../common/index.ts';
import { ConfigError, Runtime, createRuntimeApi, loadConfig } from '../runtime/index.ts';
import type { SecretStore } from './secrets.ts';

export type Boot =
  | { ok: true; runtime: Runtime; api: RuntimeApi }
  | { ok: false; title: string; message: string };

/** Secrets are decrypted into the environment first, so `${env:NAME}` in rein.yaml finds them. */
export function bootRuntime(secrets: SecretStore): Boot {
  try {
    const undecryptable = secrets.exportTo(process.env);
    if (undecryptable.length) console.error(`rein: could not decrypt the secrets ${undecryptable.join(', ')}`);
    // An untrusted working folder's rein.yaml/skills are left out; the UI sees that in config.get().project.
    const config = loadConfig({ untrusted: 'ignore' });
    const runtime = new Runtime({ config });
    return { ok: true, runtime, api: createRuntimeApi(runtime) };
  } catch (error) {
    if (error instanceof ConfigError) {
      return { ok: false, title: 'Rein: the configuration is invalid', message: `${error.message}\n\nFix the file and restart Rein.` };
    }
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, title: 'Rein could not start its runtime', message };
  }
}
