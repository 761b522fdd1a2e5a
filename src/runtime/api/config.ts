// The config section: what the runtime runs with, the model choice from the UI, and the Settings panel's reads and
// writes (validated like a config load, comments kept, applied live where the runtime can).
import { CAPABILITIES, type ConfigApi, type ConfigView, type SettingsView } from '../../common/index.ts';
import { RESTART_KEYS, policyRuleViews, saveModelChoice, saveSettings, settingValues, writableConfigFile, type ReinConfig } from '../config/index.ts';
import type { ApiRuntime } from './api-runtime.ts';

export function configSection(runtime: ApiRuntime): ConfigApi {
  /** What the runtime started with: settings saved since that only apply after a restart differ from it. */
  const started = settingValues(runtime.config);
  return {
    get: () => Promise.resolve(configView(runtime)),
    setModel: (choice) => {
      runtime.useModel(saveModelChoice(runtime.config, choice));
      return Promise.resolve(configView(runtime));
    },
    settings: () => Promise.resolve(settingsView(runtime.config, started)),
    updateSettings: (changes) => {
      const saved = saveSettings(runtime.config, changes);
      if (!saved.ok) return Promise.resolve(saved);
      runtime.reconfigure(saved.config);
      return Promise.resolve({ ok: true, settings: settingsView(runtime.config, started) });
    },
  };
}

function settingsView(config: ReinConfig, started: ReturnType<typeof settingValues>): SettingsView {
  const values = settingValues(config);
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  return {
    ...(config.file ? { file: config.file } : {}),
    writableFile: writableConfigFile(config),
    dataDir: config.dataDir,
    values,
    rules: policyRuleViews(config),
    providers: Object.entries(config.providers).map(([id, p]) => ({ id, provider: p.provider, baseUrl: p.base_url, name: p.name })),
    knowledgePaths: config.knowledge.paths.map((p) => (typeof p === 'string' ? p : p.path)),
    ...(config.machinePolicy ? { machinePolicy: config.machinePolicy } : {}),
    restartNeeded: RESTART_KEYS.filter((key) => !same(values[key], started[key])),
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
    startProblems: runtime.startProblems(),
  };
}
