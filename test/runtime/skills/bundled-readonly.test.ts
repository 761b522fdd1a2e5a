import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkillLibrary } from '../../../src/runtime/skills/index.ts';
import { jsonSkill, skillMd, skillSetup } from './helpers.ts';

/** Every file under `dir` with its text. */
function snapshot(dir: string): Record<string, string> {
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
      .filter((e) => e.isFile())
      .map((e) => {
        const file = path.join(e.parentPath, e.name);
        return [path.relative(dir, file), fs.readFileSync(file, 'utf8')];
      }),
  );
}

describe('bundled skills are read-only', () => {
  it('outcome counts, edits and rollbacks of bundled skills go to an overlay copy in the user folder', async () => {
    const { config, write, registry, userDir } = skillSetup();
    write('refund.json', jsonSkill('refund'));
    write('notes/SKILL.md', skillMd('notes'));
    write('notes/template.txt', 'a bundled file next to SKILL.md');
    const before = snapshot(registry);
    const library = new SkillLibrary(config);

    await library.finishRun('run_1', ['refund', 'notes'], true);
    await library.feedback('run_1', 'bad');
    library.store.save({ ...library.getSkill('notes'), instructions: 'Edited steps for notes.' }, 'user');
    library.rollback('refund', 1);

    expect(snapshot(registry)).toEqual(before);
    const reopened = new SkillLibrary(config);
    expect(reopened.getSkill('notes')).toMatchObject({ origin: 'user', instructions: 'Edited steps for notes.', failure_count: 1, success_count: 0 });
    expect(reopened.getSkill('notes').file).toBe(path.join(userDir, 'notes', 'SKILL.md'));
    expect(fs.readFileSync(path.join(userDir, 'notes', 'template.txt'), 'utf8')).toBe('a bundled file next to SKILL.md');
    expect(reopened.getSkill('refund')).toMatchObject({ origin: 'user', file: path.join(userDir, 'refund.json') });
    expect(reopened.validate().issues).toEqual([]);
  });
});
