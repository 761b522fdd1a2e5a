// Every `rein` command: what `rein --help` and the argument parser need, and how to load the command's file
// (src/cli/commands/<name>.ts) when it runs, so help and usage errors load no runtime. Add a command by adding its
// file and an entry here.
import { DEFAULT_PORT } from '../../host/default-port.ts';
import type { Command } from '../command.ts';

export const COMMANDS: Command[] = [
  {
    name: 'run',
    synopsis: 'run "<goal>" [--json] [--verbose] [--resume <id>] [--continue <run id>]',
    summary:
      'run the agent on a goal and stream the answer (--json: one event per line; --verbose: also tool ranking, recalled notes, skills and retry causes; --resume: continue a session; --continue: a follow-up that sees that run\'s conversation)',
    options: { json: { type: 'boolean', default: false }, verbose: { type: 'boolean', default: false }, resume: { type: 'string' }, continue: { type: 'string' } },
    load: async () => (await import('./run.ts')).run,
  },
  {
    name: 'sessions',
    synopsis: 'sessions [show <id>] [--json]',
    summary: 'list sessions in memory, or print one session\'s event log (resume one with rein run --resume <id>)',
    options: { json: { type: 'boolean', default: false } },
    load: async () => (await import('./sessions.ts')).sessions,
  },
  {
    name: 'memory',
    synopsis: 'memory [list] | search <query> | pin|unpin|delete|restore <id> | edit <id> "<text>" | export | import <archive>',
    summary: 'memory notes: pinned ones (given to the model at every run start) and the newest; search, pin, edit, delete, undo a delete (--json for list/search); export everything as a JSONL archive (--out FILE), import one (--to postgres://…, --dry-run)',
    options: { json: { type: 'boolean', default: false }, out: { type: 'string' }, to: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } },
    load: async () => (await import('./memory.ts')).memory,
  },
  {
    name: 'doctor',
    synopsis: 'doctor',
    summary: 'check config, the model server (Ollama, LM Studio, llama.cpp, vLLM, …) and the model, and print fixes',
    load: async () => (await import('./doctor.ts')).doctor,
  },
  {
    name: 'secrets',
    synopsis: 'secrets set|delete NAME',
    summary: 'store a key (typed without echo, or piped on stdin) in the OS keychain for rein.yaml to use as api_key: keychain:NAME, or delete it',
    load: async () => (await import('./secrets.ts')).secrets,
  },
  {
    name: 'models',
    synopsis: 'models [list] | pull [NAME] | remove NAME | use NAME',
    summary:
      'every model source with its models (--json); pull an Ollama model or download one for the embedded engine (no NAME: the one recommended for this machine; hf:<org>/<repo>/<file>.gguf or an https URL); remove one; use NAME as the default (written into rein.yaml)',
    options: { json: { type: 'boolean', default: false } },
    load: async () => (await import('./models.ts')).models,
  },
  {
    name: 'serve',
    synopsis: 'serve [--port N] [--host ADDR]',
    summary: `run the local host of the data dir: UI and API on http://127.0.0.1:${DEFAULT_PORT} (or a free port), token in <data dir>/host.json; attaches if one runs`,
    options: { port: { type: 'string' }, host: { type: 'string' } },
    load: async () => (await import('./serve.ts')).serve,
  },
  {
    name: 'approvals',
    synopsis: 'approvals list|allow|deny <id>',
    summary: 'list pending approvals and answer them (also: grants, revoke <grant-id>)',
    options: { always: { type: 'boolean', default: false }, expires: { type: 'string' }, reason: { type: 'string' } },
    load: async () => (await import('./approvals.ts')).approvals,
  },
  {
    name: 'audit',
    synopsis: 'audit verify|export [--out FILE]',
    summary: 'verify the audit log\'s hash chain, or export it as JSONL',
    options: { out: { type: 'string' } },
    load: async () => (await import('./audit.ts')).audit,
  },
  {
    name: 'mcp',
    synopsis: 'mcp [serve [--http PORT]] | list | import <file|-> | login <server> | logout <server> | passphrase <server>',
    summary:
      'serve Rein as an MCP server (stdio, or --http on 127.0.0.1 with a token); list MCP servers; import Claude Desktop JSON; sign in to / out of an OAuth server; store an mTLS key passphrase',
    options: { http: { type: 'string' } },
    load: async () => (await import('./mcp.ts')).mcp,
  },
  {
    name: 'skills',
    synopsis: 'skills list|show|validate|history|rollback|approve',
    summary: 'list, inspect, validate, version and approve skills (--json for list/show)',
    options: { json: { type: 'boolean', default: false } },
    load: async () => (await import('./skills.ts')).skills,
  },
  {
    name: 'feedback',
    synopsis: 'feedback <run id> good|bad',
    summary: "record whether a run went well; scores the skills it used",
    load: async () => (await import('./feedback.ts')).feedback,
  },
  {
    name: 'schedules',
    synopsis: 'schedules list|add|remove|pause|resume|run-now|history',
    summary: 'scheduled runs and their ledger (every slot: started, finished, failed or missed and why)',
    options: {
      goal: { type: 'string' }, skill: { type: 'string' }, input: { type: 'string' }, cron: { type: 'string' }, every: { type: 'string' },
      'catch-up': { type: 'string' }, overlap: { type: 'string' }, approvals: { type: 'string' }, model: { type: 'string' }, timezone: { type: 'string' },
      limit: { type: 'string' }, json: { type: 'boolean', default: false },
  },
    load: async () => (await import('./schedules.ts')).schedules,
  },
  {
    name: 'knowledge',
    synopsis: 'knowledge add|list|remove|reindex|search',
    summary: 'index your folders and files for the agent, list their status, search them (--json for list/search)',
    options: {
      json: { type: 'boolean', default: false },
      include: { type: 'string', multiple: true },
      exclude: { type: 'string', multiple: true },
      source: { type: 'string' },
      limit: { type: 'string' },
  },
    load: async () => (await import('./knowledge.ts')).knowledge,
  },
  {
    name: 'agents',
    synopsis: 'agents image build|check [--engine podman|docker] [--tag NAME]',
    summary: 'build the subagent container image offline from this installation, or check that the configured one matches this Rein',
    options: { engine: { type: 'string' }, tag: { type: 'string' }, json: { type: 'boolean', default: false } },
    load: async () => (await import('./agents.ts')).agents,
  },
  {
    name: 'worker',
    synopsis: 'worker [--database postgres://…] [--max-concurrent N] | queue "<goal>" | jobs | password <url>',
    summary: 'run queued runs from a team\'s PostgreSQL database (no port opened); queue a run; list the queue; store the database password in the keychain',
    options: { database: { type: 'string' }, 'max-concurrent': { type: 'string' }, model: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean', default: false } },
    load: async () => (await import('./worker.ts')).worker,
  },
  {
    name: 'trust',
    synopsis: 'trust [DIR] | --list | --revoke [DIR]',
    summary: 'trust a folder (default: this one), so its rein.yaml and skills/ are used; --list the trusted folders; --revoke one',
    options: { list: { type: 'boolean', default: false }, revoke: { type: 'boolean', default: false } },
    load: async () => (await import('./trust.ts')).trust,
  },

];
