// Preloaded with `node --import` (NODE_OPTIONS): records every module the process loads (ES modules and require()s,
// through Node's module hooks) and writes their URLs, one a line, to $REIN_RECORD_MODULES when the process exits.
import fs from 'node:fs';
import { registerHooks } from 'node:module';

const file = process.env.REIN_RECORD_MODULES;
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (file) fs.writeFileSync(file, [...loaded].join('\n'));
});
