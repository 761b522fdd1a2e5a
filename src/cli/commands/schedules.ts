// `rein schedules`: the host's schedules and their ledger, through the running host of the data dir; without one the
// ledger is read directly and `run-now` runs the schedule in this process.
import { ApiError, type RunEvent, type RuntimeApi, type ScheduleDefinition, type ScheduleSlot, type ScheduleView, type SchedulesApi } from '../../common/index.ts';
import { attachToHost } from '../attach.ts';
import { ApiArgumentError, ApiNotFoundError, Runtime, Scheduler, apiRunPort, createRuntimeApi, openScheduleLedger, schedulesService, slotView, type ReinConfig } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor, type CliIo, type Style } from '../io.ts';
import { createRenderer } from '../render.ts';

const USAGE = `rein schedules list | add <name> (--goal TEXT | --skill NAME [--input JSON]) (--cron EXPR | --every 90s) [--catch-up skip|run_once|run_all] [--overlap skip|queue] [--approvals wait|deny] [--model NAME] [--timezone ZONE]
              | remove <name> | pause <name> | resume <name> | run-now <name> | history [<name>] [--limit N] [--json]`;

export const schedules: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    const [action = 'list', name] = args;
    const needsName = ['add', 'remove', 'pause', 'resume', 'run-now'].includes(action);
    if (!['list', 'history', ...(needsName ? [action] : [])].includes(action) || (needsName && !name)) return usage(io);
    const loaded = config();
    const host = await attachToHost(loaded, io);
    if (host === 'failed') return ExitCode.failed;
    const local = host === 'none' ? await openLocal(loaded) : undefined;
    const style = styleFor(io.stdout, io.env);
    try {
      const api = host === 'none' ? local!.api : host.api.schedules;
      switch (action) {
        case 'list':
          return print(io, options.json === true, await api.list(), (views) => listText(views, style));
        case 'history': {
          const limit = options.limit === undefined ? 20 : Number(options.limit);
          if (!Number.isInteger(limit) || limit < 1) return usage(io, `--limit must be a positive whole number, not "${String(options.limit)}"`);
          return print(io, options.json === true, await api.history(name, limit), (slots) => historyText(slots, style));
        }
        case 'add': {
          const definition = definitionFrom(name!, options);
          if (typeof definition === 'string') return usage(io, definition);
          const view = await api.add(definition);
          io.stdout.write(`added schedule ${view.name}: ${view.when}${view.nextAt ? `, next at ${new Date(view.nextAt).toLocaleString()}` : ''}\n`);
          return ExitCode.ok;
        }
        case 'remove':
          await api.remove(name!);
          io.stdout.write(`removed schedule ${name} (its ledger entries stay in the history)\n`);
          return ExitCode.ok;
        case 'pause':
        case 'resume':
          await api[action](name!);
          io.stdout.write(`${action === 'pause' ? 'paused' : 'resumed'} schedule ${name}\n`);
          return ExitCode.ok;
        default:
          return host === 'none' ? await runNow(local!, name!, io, style) : await runNowOnHost(host.api, name!, io, style);
      }
    } catch (error) {
      const notFound = error instanceof ApiNotFoundError || (error instanceof ApiError && error.code === 'not_found');
      if (notFound || error instanceof ApiArgumentError || (error instanceof ApiError && error.code === 'bad_request')) {
        io.stderr.write(`rein: ${(error as Error).message}\n`);
        return notFound ? ExitCode.failed : ExitCode.usage;
      }
      throw error;
    } finally {
      if (host !== 'none') host.close();
      await local?.close();
    }
  },
};

interface Local {
  api: SchedulesApi;
  scheduler: Scheduler;
  runtime(): Runtime;
  close(): Promise<void>;
}

/** The ledger (this data dir's, or the team database's), and a runtime made only when a run is asked for. */
async function openLocal(config: ReinConfig): Promise<Local> {
  const ledger = await openScheduleLedger(config);
  let runtime: Runtime | undefined;
  const make = () => (runtime ??= new Runtime({ config }));
  const lazyApi = () => createRuntimeApi(make());
  let api: ReturnType<typeof createRuntimeApi> | undefined;
  const port = apiRunPort(new Proxy({} as ReturnType<typeof createRuntimeApi>, { get: (_t, key) => (api ??= lazyApi())[key as keyof typeof api] }));
  const scheduler = new Scheduler({ ledger, port, configured: () => config.schedules });
  return {
    api: schedulesService(scheduler, ledger, () => Date.now()),
    scheduler,
    runtime: make,
    close: async () => {
      scheduler.close();
      await runtime?.close();
      await ledger.close();
    },
  };
}

async function runNow(local: Local, name: string, io: CliIo, style: Style): Promise<number> {
  local.scheduler.listen();
  const slot = await local.scheduler.runNow(name);
  const live = slot.runId ? local.runtime().getRun(slot.runId) : undefined;
  if (live) {
    const render = createRenderer(io, styleFor(io.stderr, io.env));
    for await (const event of live.events) render(event);
  }
  const ended = slotView(await local.scheduler.whenEnded(slot.id));
  io.stderr.write(`${slotLine(ended, style)}\n`);
  return ended.status === 'finished' ? ExitCode.ok : ended.status === 'stopped' ? ExitCode.stopped : ExitCode.failed;
}

/** Asks the host to run the schedule, shows its run as `rein run` would, and waits for the ledger entry. */
async function runNowOnHost(api: RuntimeApi, name: string, io: CliIo, style: Style): Promise<number> {
  const render = createRenderer(io, styleFor(io.stderr, io.env));
  let slotId: string | undefined;
  let runId: string | undefined;
  const early: RunEvent[] = [];
  let settle: (slot: ScheduleSlot['status']) => void = () => undefined;
  const ended = new Promise<ScheduleSlot['status']>((resolve) => (settle = resolve));
  const off = api.onEvent((event) => {
    if ('runId' in event && 'seq' in event) {
      if (runId === undefined) early.push(event);
      else if (event.runId === runId) render(event);
    } else if (event.type === 'schedule.run' && event.slotId === slotId && !['started', 'waiting_approval'].includes(event.status)) settle(event.status as ScheduleSlot['status']);
  });
  try {
    const slot = await api.schedules.runNow(name);
    slotId = slot.id;
    runId = slot.runId;
    for (const event of early) if (event.runId === runId) render(event);
    const status = ['due', 'started'].includes(slot.status) ? await ended : slot.status;
    const [entry] = (await api.schedules.history(name, 20)).filter((s) => s.id === slot.id);
    io.stderr.write(`${slotLine(entry ?? { ...slot, status }, style)}\n`);
    return status === 'finished' ? ExitCode.ok : status === 'stopped' ? ExitCode.stopped : ExitCode.failed;
  } finally {
    off();
  }
}

function definitionFrom(name: string, options: Record<string, unknown>): ScheduleDefinition | string {
  const text = (key: string) => (typeof options[key] === 'string' ? (options[key] as string) : undefined);
  let input: Record<string, unknown> | undefined;
  if (text('input') !== undefined) {
    try {
      input = JSON.parse(text('input')!) as Record<string, unknown>;
    } catch {
      return `--input must be JSON, e.g. '{"amount": 120}'`;
    }
  }
  const pick = <T extends string>(key: string, allowed: readonly T[]): T | undefined | string => {
    const value = text(key);
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    return `--${key} must be one of ${allowed.join(', ')}, not "${value}"`;
  };
  const catchUp = pick('catch-up', ['skip', 'run_once', 'run_all'] as const);
  const overlap = pick('overlap', ['skip', 'queue'] as const);
  const approvals = pick('approvals', ['wait', 'deny'] as const);
  for (const value of [catchUp, overlap, approvals]) if (typeof value === 'string' && value.startsWith('--')) return value;
  const definition: ScheduleDefinition = { name };
  const set = <K extends keyof ScheduleDefinition>(key: K, value: ScheduleDefinition[K] | undefined) => {
    if (value !== undefined) definition[key] = value;
  };
  set('goal', text('goal'));
  set('skill', text('skill'));
  set('input', input);
  set('cron', text('cron'));
  set('every', text('every'));
  set('timezone', text('timezone'));
  set('model', text('model'));
  set('catch_up', catchUp as ScheduleDefinition['catch_up']);
  set('overlap', overlap as ScheduleDefinition['overlap']);
  set('approvals', approvals as ScheduleDefinition['approvals']);
  return definition;
}

function print<T>(io: CliIo, json: boolean, value: T, text: (value: T) => string): number {
  io.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text(value));
  return ExitCode.ok;
}

function listText(views: ScheduleView[], style: Style): string {
  if (!views.length) return 'no schedules (add one in rein.yaml under `schedules:` or with `rein schedules add`)\n';
  return views
    .map((v) => {
      const state = v.paused ? style.yellow('paused') : !v.enabled ? style.dim('disabled') : v.runningRunId ? style.cyan(`running ${v.runningRunId}`) : style.green('active');
      const next = v.nextAt ? `next ${new Date(v.nextAt).toLocaleString()}` : '';
      const last = v.last ? `last: ${v.last.status}${v.last.reason ? ` (${v.last.reason})` : ''}` : 'never ran';
      const what = v.definition.goal ? `goal: ${v.definition.goal}` : `skill: ${v.definition.skill}`;
      return `${style.bold(v.name)}  ${state}  ${v.when}  ${style.dim(v.source === 'config' ? 'rein.yaml' : 'added')}\n  ${what}\n  ${[next, last].filter(Boolean).join(' · ')}\n`;
    })
    .join('');
}

function historyText(slots: ScheduleSlot[], style: Style): string {
  if (!slots.length) return 'no ledger entries yet\n';
  return `${slots.map((slot) => slotLine(slot, style)).join('\n')}\n`;
}

function slotLine(slot: ScheduleSlot, style: Style): string {
  const color = { finished: style.green, failed: style.red, missed: style.yellow, stopped: style.yellow, started: style.cyan, due: style.cyan }[slot.status];
  const run = slot.runId ? ` run ${slot.runId}${slot.heldBy ? ` on ${slot.heldBy}` : ''}` : '';
  return `${new Date(slot.dueAt).toLocaleString()}  ${slot.schedule}  ${color(slot.status)}${slot.trigger !== 'slot' ? ` (${slot.trigger.replace('_', '-')})` : ''}${run}${slot.reason ? `\n    ${style.dim(slot.reason)}` : ''}`;
}

function usage(io: CliIo, problem?: string): number {
  io.stderr.write(`rein: ${problem ? `${problem}\n` : ''}usage: ${USAGE}\n`);
  return ExitCode.usage;
}
