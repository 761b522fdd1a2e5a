// `rein skills list|show|validate|history|rollback|approve`: the skill registry from the command line.
import { SkillLibrary, SkillNotFoundError, errorMessageOf } from '../../runtime/index.ts';
import type { CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { styleFor, type CliIo } from '../io.ts';

const USAGE = 'skills list | show <name> | validate | history <name> | rollback <name> <version> | approve <name>';

export const skills: CommandRunner = {
  run: async ({ args, options, io, config }) => {
    try {
      const loaded = config();
      return skillsCommand(new SkillLibrary(loaded), args, Boolean(options.json), io, { registry: loaded.skills.registry, userDir: loaded.skills.user_dir, configFile: loaded.file });
    } catch (error) {
      if (!(error instanceof SkillNotFoundError) && !(error instanceof Error && error.name === 'SkillFileError')) throw error;
      io.stderr.write(`rein skills: ${errorMessageOf(error)}\n`);
      return ExitCode.failed;
    }
  },
};

/** Where skills are looked for, to say so when none (or not all) are found. */
export interface SkillPlaces {
  registry: string;
  userDir?: string | undefined;
  configFile?: string | undefined;
}

export function skillsCommand(library: SkillLibrary, args: string[], json: boolean, io: CliIo, places?: SkillPlaces): number {
  const style = styleFor(io.stdout, io.env);
  const out = (text: string) => io.stdout.write(`${text}\n`);
  const [sub, name, version] = args;
  const needName = (): string | undefined => name ?? (io.stderr.write(`rein skills ${sub}: which skill? Usage: rein ${USAGE}\n`), undefined);
  switch (sub) {
    case 'list':
    case undefined: {
      const list = library.listSkills();
      if (json) return out(JSON.stringify(list, null, 2)), ExitCode.ok;
      // Files that failed to load are named, not silently left out.
      for (const issue of library.validate().issues) io.stderr.write(`${style.red('✗')} ${issue.file}: ${issue.message} (skipped; \`rein skills validate\` lists every problem)\n`);
      if (!list.length) {
        const where = places ? ` in ${places.registry}${places.userDir ? ` or ${places.userDir}` : ''}${places.configFile ? ` (skills.registry is relative to ${places.configFile})` : ' (no rein.yaml found: the default ./skills is relative to this folder)'}` : '';
        out(style.dim(`no skills${where}; see skills/README.md`));
      }
      for (const s of list) {
        const flags = [s.origin, s.format, s.has_code ? 'code' : '', s.approved ? '' : style.yellow('not approved')].filter(Boolean).join(', ');
        out(`${style.bold(s.name)}  ${s.description} ${style.dim(`[${flags}; confidence ${s.confidence.toFixed(2)}, ${s.success_count}✓ ${s.failure_count}✗]`)}`);
      }
      return ExitCode.ok;
    }
    case 'show': {
      if (!needName()) return ExitCode.usage;
      const skill = library.getSkill(name!);
      if (json) return out(JSON.stringify(skill, null, 2)), ExitCode.ok;
      out(`${style.bold(skill.name)} — ${skill.description}\n${style.dim(skill.file)}`);
      if (skill.triggers.length) out(`triggers: ${skill.triggers.join(', ')}`);
      if (skill.required_mcp_tools.length) out(`tools: ${skill.required_mcp_tools.join(', ')}`);
      if (skill.approval_threshold_usd !== undefined) out(`approval above: ${skill.approval_threshold_usd} USD`);
      out(`outcomes: ${skill.success_count} good, ${skill.failure_count} bad${skill.approved ? '' : '; not approved'}\n\n${skill.instructions}`);
      if (skill.code) out(`\ncode:\n${skill.code}`);
      return ExitCode.ok;
    }
    case 'validate': {
      const { skills, issues } = library.validate();
      for (const issue of issues) io.stderr.write(`${style.red('✗')} ${issue.file}: ${issue.message}\n`);
      out(`${skills.length} valid skill${skills.length === 1 ? '' : 's'}, ${issues.length} invalid file${issues.length === 1 ? '' : 's'}`);
      return issues.length ? ExitCode.failed : ExitCode.ok;
    }
    case 'history': {
      if (!needName()) return ExitCode.usage;
      for (const v of library.history(name!)) out(`v${v.version}  ${v.time}  ${v.source}`);
      return ExitCode.ok;
    }
    case 'rollback': {
      const target = Number(version);
      if (!needName() || !Number.isInteger(target)) return io.stderr.write(`Usage: rein skills rollback <name> <version>\n`), ExitCode.usage;
      library.rollback(name!, target);
      out(`${name} is back at version ${target} (recorded as a new version)`);
      return ExitCode.ok;
    }
    case 'approve': {
      if (!needName()) return ExitCode.usage;
      library.approve(name!);
      out(`${name} approved; runs may use it now`);
      return ExitCode.ok;
    }
    default:
      io.stderr.write(`rein skills: unknown sub-command "${sub}". Usage: rein ${USAGE}\n`);
      return ExitCode.usage;
  }
}
