import { EmbeddedProvider } from './src/runtime/model/embedded/provider.ts';
const p = new EmbeddedProvider({ source: 'model', provider: 'embedded', name: '/work/shared/models/llama-2-tiny-random.gguf', base_url: '', flavor: 'auto', temperature: 0 }, { dataDir: '/tmp/rein-scratch' });
let t = performance.now();
console.log(await p.info(), Math.round(performance.now() - t), 'ms');
t = performance.now();
for await (const c of p.chat({ messages: [{ role: 'system', content: 'hi' }, { role: 'user', content: 'hello' }], maxReplyTokens: 10 })) console.log(JSON.stringify(c));
console.log(Math.round(performance.now() - t), 'ms');
const tools = [{ name: 'get_weather', description: 'weather of a city', parameters: { type: 'object', properties: { city: { type: 'string', enum: ['Paris', 'Oslo'] } }, required: ['city'] } }];
for (const q of ['what is the weather in Paris?', 'weather', 'call get_weather', 'Use the tool.']) {
  const out = [];
  for await (const c of p.chat({ messages: [{ role: 'user', content: q }], tools, maxReplyTokens: 60 })) out.push(c);
  console.log(q, JSON.stringify(out));
}
console.log('embed', (await p.embed(['hello', 'world'])).map(v => v.length));
console.log('pid', p.enginePid);
await p.close();
