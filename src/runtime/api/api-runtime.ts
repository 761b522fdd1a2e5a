// What the API needs from the runtime it serves: the run launcher plus the model, capability services and
// runtime-level events. Runtime implements it; the API never imports runtime.ts.
import type { SystemEvent, SystemEventInput, StartProblem } from '../../common/index.ts';
import type { ModelConfig, ReinConfig } from '../config/index.ts';
import type { Asker, RuntimeExtension } from '../extension.ts';
import type { RunLauncher } from '../launcher/index.ts';
import type { ModelClient } from '../model/index.ts';
import type { RuntimeServices } from './services.ts';

export interface ApiRuntime extends RunLauncher {
  readonly model: ModelClient;
  readonly services: RuntimeServices;
  /** The API takes it over: questions are answered through the API (approval cards). */
  ask: Asker;
  useModel(model: ModelConfig): void;
  /** Settings saved from the Settings panel, applied live (a new model source gets a new client). */
  reconfigure(config: ReinConfig): void;
  /** Reports status outside any run. */
  notify(event: SystemEventInput): void;
  /** The client of a named model (`name`, `<provider id>:name`, `<kind>:name`). */
  modelFor(ref: string | undefined): ModelClient;
  onSystemEvent(listener: (event: SystemEvent) => void): () => void;
  /** Capabilities that did not start, grouped by cause. */
  startProblems(): StartProblem[];
  extensionOf<T extends RuntimeExtension>(type: abstract new (...args: never[]) => T): T | undefined;
}
