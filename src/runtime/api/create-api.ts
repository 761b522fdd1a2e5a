// Assembles the API sections over one runtime and merges every pushed event into one stream.
import type { ApiEvent, RuntimeApi } from '../../common/index.ts';
import type { ApiRuntime } from './api-runtime.ts';
import { configSection } from './config.ts';
import { ConversationTitler } from './conversation-titles.ts';
import { ModelHealth } from './model-health.ts';
import { modelsSection } from './models.ts';
import { QuestionBroker } from './questions.ts';
import { conversationsSection } from './conversations.ts';
import { runsSection } from './runs.ts';
import { capabilitySection } from './services.ts';

/** The API over `runtime`. It takes over `runtime.ask`: questions are answered through the API (approval cards). */
export function createRuntimeApi(runtime: ApiRuntime): RuntimeApi {
  const listeners = new Set<(event: ApiEvent) => void>();
  const emit = (event: ApiEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // one broken subscriber must not starve the others
      }
    }
  };
  const questions = new QuestionBroker(emit);
  runtime.ask = questions.ask;
  runtime.onEvent(emit);
  runtime.onSystemEvent(emit);
  // Watched while someone listens (a window, a browser tab): the UI's Send follows the model server's health.
  const health = new ModelHealth(runtime, emit);
  // A conversation's first answer gets a short title from the model, when nothing else is running.
  const titler = new ConversationTitler(runtime, emit);
  runtime.onEvent((event) => { titler.observe(event); });
  const runs = runsSection(runtime);
  return {
    runs,
    conversations: conversationsSection(runtime, runs),
    models: modelsSection(runtime, emit),
    config: configSection(runtime),
    questions,
    approvals: capabilitySection(runtime.services, 'approvals'),
    skills: capabilitySection(runtime.services, 'skills'),
    memory: capabilitySection(runtime.services, 'memory'),
    mcp: capabilitySection(runtime.services, 'mcp'),
    schedules: capabilitySection(runtime.services, 'schedules'),
    knowledge: capabilitySection(runtime.services, 'knowledge'),
    onEvent: (listener) => {
      listeners.add(listener);
      health.start();
      const latest = health.latest;
      if (latest) queueMicrotask(() => { if (listeners.has(listener)) listener(latest); });
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) health.stop();
      };
    },
  };
}
