import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SkillLibrary } from '../../../src/runtime/skills/index.ts';
import { jsonSkill, skillMd, skillSetup } from './helpers.ts';

describe('skill registry', () => {
  it('loads JSON documents and SKILL.md folders; each invalid file gets its own error without hiding the valid ones', () => {
    const { config, write } = skillSetup();
    write('refund.json', jsonSkill('refund', { required_mcp_tools: ['issue_refund'], approval_threshold_usd: 100 }));
    write('notes/SKILL.md', skillMd('notes', 'metadata:\n  triggers: release notes, changelog\n  success_count: "2"\nallowed-tools: read_file grep\n'));
    write('broken.json', '{ "name": "broken", ');
    write('bad-name.json', jsonSkill('Bad Name'));
    write('extra.json', jsonSkill('extra', { colour: 'blue' }));
    write('missing.json', { name: 'missing' });
    write('nofront/SKILL.md', 'just text');
    write('wrong/SKILL.md', skillMd('other'));
    const library = new SkillLibrary(config);
    const { skills, issues } = library.validate();

    expect(skills.map((s) => s.name)).toEqual(['notes', 'refund']);
    expect(skills[0]).toMatchObject({ format: 'skill-md', triggers: ['release notes', 'changelog'], allowed_tools: ['read_file', 'grep'], success_count: 2, instructions: 'Steps for notes.' });
    expect(library.listSkills().find((s) => s.name === 'refund')).toMatchObject({ approval_threshold_usd: 100, required_mcp_tools: ['issue_refund'], confidence: 0.5 });
    const byFile = Object.fromEntries(issues.map((i) => [path.relative(config.skills.registry, i.file), i.message]));
    expect(byFile['broken.json']).toMatch(/not valid JSON/);
    expect(byFile['bad-name.json']).toMatch(/^name: use 1-64 lowercase letters/);
    expect(byFile['extra.json']).toBe('unknown key "colour"');
    expect(byFile['missing.json']).toMatch(/description: .*instructions: /);
    expect(byFile[path.join('nofront', 'SKILL.md')]).toMatch(/must start with YAML front matter/);
    expect(byFile[path.join('wrong', 'SKILL.md')]).toMatch(/name "other" must match its folder name "wrong"/);
  });

  it('hot reload: adding, editing and deleting files is seen on the next refresh', () => {
    const { config, write, userDir } = skillSetup();
    const file = write('a.json', jsonSkill('a'));
    const library = new SkillLibrary(config);
    expect(library.listSkills().map((s) => s.name)).toEqual(['a']);
    write('b/SKILL.md', skillMd('b'));
    fs.writeFileSync(file, JSON.stringify(jsonSkill('a', { instructions: 'A new way of doing a, much longer.' })));
    expect(library.refresh()).toMatchObject({ added: ['b'], changed: ['a'], removed: [] });
    expect(library.getSkill('a').instructions).toBe('A new way of doing a, much longer.');
    fs.rmSync(file);
    write('b.json', jsonSkill('b', { description: 'the user override' }), userDir);
    expect(library.refresh()).toMatchObject({ removed: ['a'], changed: ['b'] });
    expect(library.getSkill('b')).toMatchObject({ origin: 'user', description: 'the user override' });
    expect(library.refresh()).toBeUndefined();
  });

  it('per-step reload looks at the files only after a change event, and re-reads only the changed file', async () => {
    const { config, write } = skillSetup();
    const file = write('a.json', jsonSkill('a'));
    write('c.json', jsonSkill('c'));
    const library = new SkillLibrary(config);
    expect(library.refreshIfChanged()).toMatchObject({ added: ['a', 'c'] });
    const untouched = library.getSkill('c');
    expect(library.refreshIfChanged()).toBeUndefined();
    fs.writeFileSync(file, JSON.stringify(jsonSkill('a', { instructions: 'Edited while running, a bit longer.' })));
    await expect.poll(() => library.refreshIfChanged(), { timeout: 10_000 }).toMatchObject({ changed: ['a'] });
    expect(library.getSkill('a').instructions).toBe('Edited while running, a bit longer.');
    expect(library.getSkill('c')).toBe(untouched); // not parsed again
    library.close();
  });

  it('versions every content change with time and source, and rolls back to any version', () => {
    const { config, write, userDir } = skillSetup();
    const file = write('a.json', jsonSkill('a', { instructions: 'first' }), userDir);
    const library = new SkillLibrary(config);
    library.refresh();
    fs.writeFileSync(file, JSON.stringify(jsonSkill('a', { instructions: 'second, edited by hand' })));
    library.refresh();
    library.recordOutcome(['a'], true);
    expect(library.history('a').map((v) => [v.version, v.source])).toEqual([[1, 'user'], [2, 'user']]);
    expect(library.history('a')[0]!.time).toMatch(/^\d{4}-\d\d-\d\dT/);

    const restored = library.rollback('a', 1);
    expect(restored.instructions).toBe('first');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).instructions).toBe('first');
    expect(library.history('a').map((v) => v.version)).toEqual([1, 2, 3]);
    expect(() => library.rollback('a', 9)).toThrow(/no version 9/);
  });

  it('outcome counts persist in the file (JSON keys, SKILL.md front matter) and feedback scores the run’s skills', async () => {
    const { config, write, userDir } = skillSetup();
    const jsonFile = write('a.json', jsonSkill('a'), userDir);
    const mdFile = write('b/SKILL.md', skillMd('b', 'license: MIT\n', '# B\n\nKeep this body.'), userDir);
    const library = new SkillLibrary(config);
    library.refresh();
    await library.finishRun('run_1', ['a', 'b'], true);
    expect(JSON.parse(fs.readFileSync(jsonFile, 'utf8'))).toMatchObject({ success_count: 1, failure_count: 0 });
    const md = fs.readFileSync(mdFile, 'utf8');
    expect(md).toMatch(/success_count: 1/);
    expect(md).toMatch(/license: MIT/);
    expect(md).toMatch(/# B\n\nKeep this body\./);

    expect(await library.feedback('run_1', 'bad')).toEqual(['a', 'b']);
    expect(library.getSkill('a')).toMatchObject({ success_count: 1, failure_count: 1 });
    await library.feedback('run_1', 'good'); // replaces the earlier verdict
    expect(new SkillLibrary(config).getSkill('b')).toMatchObject({ success_count: 2, failure_count: 0 });
    await expect(library.feedback('run_unknown', 'good')).rejects.toThrow(/used no skills/);
  });
});
