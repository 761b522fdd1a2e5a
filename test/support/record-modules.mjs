// Preloaded with `node --import` (in NODE_OPTIONS): records every module the process resolves (imports and
// require()s, through Node's module hooks) and, when it exits, writes their URLs one a line to
// $REIN_RECORD_MODULES/<pid>.txt (a folder, so child processes that inherit NODE_OPTIONS keep their own list).
import fs from 'node:fs';
import { registerHooks } from 'node:module';
import path from 'node:path';

const dir = process.env.REIN_RECORD_MODULES;
const loaded = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    loaded.add(resolved.url);
    return resolved;
  },
});
process.on('exit', () => {
  if (dir) fs.writeFileSync(path.join(dir, `${process.pid}.txt`), [...loaded].join('\n'));
});
