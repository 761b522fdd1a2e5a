import fs from 'node:fs';
import path from 'node:path';
import { parseConfig, type ReinConfig } from '../../../src/runtime/index.ts';
import { tempDir } from '../../support/fixtures.ts';

export interface SkillSetup {
  config: ReinConfig;
  registry: string;
  userDir: string;
  write(relative: string, content: unknown, dir?: string): string;
}

/** A config whose bundled registry and data dir are fresh temp folders. */
export function skillSetup(yaml = '', host = 'http://127.0.0.1:1'): SkillSetup {
  const home = tempDir('rein-skills-');
  const registry = path.join(home, 'bundled');
  fs.mkdirSync(registry);
  const parsed = parseConfig(`skills: { registry: ${JSON.stringify(registry)} }\n${yaml}`, { env: { REIN_HOME: home }, baseDir: home });
  const config = { ...parsed, model: { ...parsed.model, provider: 'ollama' as const, name: parsed.model.name || 'qwen3:4b', base_url: host } };
  const write = (relative: string, content: unknown, dir = registry) => {
    const file = path.join(dir, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  return { config, registry, userDir: config.skills.user_dir!, write };
}

export function jsonSkill(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, description: `The ${name} skill`, triggers: [name.replaceAll('_', ' ')], instructions: `Do ${name} carefully.`, ...extra };
}

export function skillMd(name: string, front = '', body = `Steps for ${name}.`): string {
  return `---\nname: ${name}\ndescription: The ${name} skill\n${front}---\n\n${body}\n`;
}
