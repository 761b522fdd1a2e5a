// A context window nobody reported (the server does not say, rein.yaml sets no num_ctx) is a guess: the user is told
// once per model client, at the start of the first run that uses it — never silently.
import type { ModelClient } from '../model/index.ts';
import type { RunHooks } from './hooks.ts';

/** One notice per client, however many runs use it. */
export function contextNotices(): (model: ModelClient) => RunHooks {
  const told = new WeakSet<ModelClient>();
  return (model) => ({
    name: 'model',
    async onRunStart(context) {
      if (told.has(model)) return;
      const info = await model.info(context.signal).catch(() => undefined); // the first step reports why it failed
      if (info?.contextSource !== 'default' || told.has(model)) return;
      told.add(model);
      const where = model.location ? ` at ${model.location}` : '';
      context.emit({
        type: 'run.notice',
        level: 'warn',
        source: 'model',
        message: `${info.server ?? model.provider}${where} does not report the context window of ${model.model || 'its model'}: Rein assumes ${info.contextWindow} tokens — set model.num_ctx to the context the server runs with`,
      });
    },
  });
}
