// The config section: what the runtime runs with, and the model choice from the UI.
import { CAPABILITIES, type ConfigApi, type ConfigView } from '../../common/index.ts';
import { saveModelChoice, writableConfigFile } from '../config/index.ts';
import type { ApiRuntime } from './api-runtime.ts';

export function configSection(runtime: ApiRuntime): ConfigApi {
  return {
    get: () => Promise.resolve(configView(runtime)),
    setModel: (choice) => {
      runtime.useModel(saveModelChoice(runtime.config, choice));
      return Promise.resolve(configView(runtime));
    },
  };
}

function configView(runtime: ApiRuntime): ConfigView {
  const { config } = runtime;
  return {
    ...(config.file ? { file: config.file } : {}),
    writableFile: writableConfigFile(config),
    dataDir: config.dataDir,
    model: {
      provider: config.model.provider,
      name: config.model.name,
      host: config.model.base_url,
      temperature: config.model.temperature,
      ...(config.model.num_ctx ? { numCtx: config.model.num_ctx } : {}),
    },
    runtime: { maxSteps: config.runtime.max_steps, stepTimeoutS: config.runtime.step_timeout_s, toolTimeoutS: config.runtime.tool_timeout_s },
    capabilities: Object.fromEntries(CAPABILITIES.map((name) => [name, Boolean(runtime.services[name])])) as ConfigView['capabilities'],
    ...(config.project ? { project: { dir: config.project.dir, found: config.project.found, trusted: config.project.trusted } } : {}),
  };
}
