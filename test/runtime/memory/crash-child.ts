// Child process of the kill -9 test: runs a session until both calls of step 2 are in flight, says so, and waits to be killed.
import { MemoryExtension, Runtime, parseConfig } from '../../../src/runtime/index.ts';
import { crashTools } from './crash-tools.ts';

const home = process.env.REIN_HOME!;
const config = parseConfig('', { env: { REIN_HOME: home }, baseDir: home });
let started = 0;
const tools = crashTools({
  markFile: process.env.MARK_FILE!,
  hang: true,
  onStarted: () => {
    if (++started === 3) process.stdout.write(`IN_FLIGHT ${run.runId}\n`); // lookup a, then lookup b + send_email
  },
});
const testConfig = { ...config, model: { ...config.model, provider: 'ollama' as const, name: config.model.name || 'qwen3:4b', base_url: process.env.OLLAMA_URL! } };
// Only memory: the test is about checkpoints, not about policy or skills.
const runtime = new Runtime({ config: testConfig, tools, extensions: [new MemoryExtension(testConfig)], retry: { retries: 0 } });
const run = runtime.startRun('Look up a and b, then email the boss.');
await run.result;
