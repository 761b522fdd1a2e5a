// What a run start pays for skills: a folder listed as both the registry and the user's folder is read once, and
// Rein's own writes (outcome counts after every run) do not count as changes that make the next run re-stat every file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkillLibrary } from '../../../src/runtime/skills/index.ts';
import { ChangeWatch } from '../../../src/runtime/skills/change-watch.ts';
import { tempDir } from '../../support/fixtures.ts';
import { jsonSkill, skillSetup } from './helpers.ts';

describe('skill reload cost', () => {
  it('a folder that is both the registry and the user folder is read once: no skill clashes with itself', () => {
    const { config, write, userDir } = skillSetup();
    const same = { ...config, skills: { ...config.skills, registry: userDir } }; // rein.yaml in the data dir: ./skills is the user's folder
    const file = write('a.json', jsonSkill('a'), userDir);
    write('b.json', jsonSkill('b'), userDir);
    const library = new SkillLibrary(same);
    expect(library.validate()).toMatchObject({ issues: [] });
    fs.writeFileSync(file, JSON.stringify(jsonSkill('a', { description: 'The a skill, edited' })));
    const { skills, issues } = library.validate();
    expect(issues).toEqual([]);
    expect(skills.map((s) => [s.name, s.origin])).toEqual([['a', 'user'], ['b', 'user']]);
    expect(library.getSkill('a').description).toBe('The a skill, edited');
    library.close();
  });

  it('a file this process wrote does not count as a change; written again by someone else, it does', async () => {
    const dir = tempDir('rein-watch-');
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, '{}');
    const watch = new ChangeWatch([dir]);
    expect(watch.take()).toBe(true); // the first look always reads the folder
    fs.writeFileSync(file, '{"own": true}');
    watch.wrote(file);
    await new Promise((resolve) => setTimeout(resolve, 500)); // events of the own write arrive (or not) meanwhile
    expect(watch.take()).toBe(false);
    fs.writeFileSync(file, '{"edited": "by hand, longer"}');
    await expect.poll(() => watch.take(), { timeout: 10_000 }).toBe(true);
    watch.close();
  });
});
