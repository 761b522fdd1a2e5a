// Code that runs inside every isolate before the guest's code. It receives the host callbacks as closure
// arguments ($0 log callback, $1 reference to the tool dispatcher) and never stores them where guest code can reach them; everything crosses as
// strings (JSON), so no host object enters the isolate.
export const GUEST_PRELUDE = String.raw`
'use strict';
const log = $0, callRef = $1;
const call = (name, json) => callRef.apply(undefined, [name, json], { arguments: { copy: true }, result: { promise: true, copy: true } });
const parse = JSON.parse, stringify = JSON.stringify, freeze = Object.freeze;
const input = parse($2);
const toolNames = parse($3);
const format = (value) => {
  try {
    if (typeof value === 'string') return value;
    const text = stringify(value);
    return text === undefined ? String(value) : text;
  } catch {
    try { return String(value); } catch { return '[unprintable]'; }
  }
};
const describe = (value) => {
  try {
    if (value instanceof Error) return String(value.name) + ': ' + String(value.message);
    return 'thrown: ' + format(value);
  } catch {
    return 'thrown: a value that cannot be described';
  }
};
let full = false;
const guestConsole = {};
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  guestConsole[level] = (...args) => { if (!full) full = log(level, args.map(format).join(' ')); };
}
const guestTools = {};
for (const name of toolNames) {
  guestTools[name] = async (args) => {
    const reply = parse(await call(name, stringify(args === undefined ? {} : args)));
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  };
}
freeze(guestConsole);
freeze(guestTools);
globalThis.console = guestConsole;
globalThis.tools = guestTools;
Object.defineProperty(globalThis, '__reinRun', {
  configurable: true,
  value: async (main) => {
    try {
      const value = await main(input, guestTools, guestConsole);
      return stringify({ ok: true, value: value === undefined ? null : value });
    } catch (error) {
      return stringify({ ok: false, error: describe(error) });
    }
  },
});
`;

/** Wraps the guest's code (a function body: `return …`, `await tools.x(…)`) into a call of the prelude's runner. */
export function guestRunner(code: string): string {
  return `const run = globalThis.__reinRun; delete globalThis.__reinRun;\nreturn run(async function (input, tools, console) {\n${code}\n});`;
}
