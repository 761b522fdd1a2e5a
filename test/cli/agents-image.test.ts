// `rein agents image check` against the real engine: the image of this Rein, a missing one, one made by another Rein,
// one not made by Rein at all; and the usage errors. (`build` runs in the subagent suite's set-up when needed.)
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec, type ContainerEngine } from '../../src/runtime/containers/index.ts';
import { runRein } from '../support/cli.ts';
import { tempDir } from '../support/fixtures.ts';
import { containerBackend } from '../support/subagent-backends.ts';

const backend = await containerBackend();
const engine = typeof backend === 'string' ? undefined : backend.engine!;
const OTHER = `rein-agent-test-other:${process.pid}`;
const FOREIGN = `rein-agent-test-foreign:${process.pid}`;

describe('rein agents image', () => {
  const home = tempDir();
  const rein = (...args: string[]) => runRein(['agents', 'image', ...args], { env: { REIN_HOME: home } });

  it('usage errors name what is wrong', async () => {
    const none = await runRein(['agents'], { env: { REIN_HOME: home } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: rein agents image build');
    const engineTypo = await rein('check', '--engine', 'lxc');
    expect(engineTypo.code).toBe(2);
    expect(engineTypo.stderr).toContain('--engine must be podman, docker or auto, got "lxc"');
  });

  describe.skipIf(!engine)(`with ${engine?.name ?? 'no engine'}`, () => {
    beforeAll(async () => {
      await scratchImage(engine!, OTHER, { 'dev.rein.image': 'subagent', 'dev.rein.version': '0.0.9', 'dev.rein.build': '00000000' });
      await scratchImage(engine!, FOREIGN, {});
    });
    afterAll(async () => {
      await exec(engine!.bin, ['rmi', '--force', OTHER, FOREIGN]);
    });

    it('says the configured image is this Rein\'s', async () => {
      const result = await rein('check');
      expect(result.stdout).toMatch(new RegExp(`^✓ rein-agent:0\\.1\\.0 \\(${engine!.name} [\\d.]+\\): made from this Rein \\(version 0\\.1\\.0, build [0-9a-f]{16}\\)\\n$`));
      expect(result.code).toBe(0);
      const json = JSON.parse((await rein('check', '--json')).stdout) as Record<string, unknown>;
      expect(json).toMatchObject({ engine: engine!.name, image: 'rein-agent:0.1.0', exists: true, current: true, version: '0.1.0' });
    });

    it('a missing image, or one made by another Rein, fails with the command that fixes it', async () => {
      const missing = await rein('check', '--tag', 'rein-agent-test-missing:0');
      expect(missing.code).toBe(1);
      expect(missing.stdout).toBe(`✗ rein-agent-test-missing:0 is not in ${engine!.name}: run \`rein agents image build\`\n`);
      const other = await rein('check', '--tag', OTHER);
      expect(other.code).toBe(1);
      expect(other.stdout).toMatch(/was made from another Rein \(version 0\.0\.9, build 00000000; this is version 0\.1\.0, build [0-9a-f]{16}\): run `rein agents image build`/);
    });

    it('an image not made by Rein (a custom one) exists, with an unknown version', async () => {
      const foreign = await rein('check', '--tag', FOREIGN);
      expect(foreign.code).toBe(0);
      expect(foreign.stdout).toContain(`? ${FOREIGN} (${engine!.name}`);
      expect(foreign.stdout).toContain('was not made by `rein agents image build`: its Rein version is unknown (this is 0.1.0)');
    });

    it('the configured image comes from rein.yaml', async () => {
      fs.writeFileSync(path.join(home, 'rein.yaml'), `agents: { container: { image: ${OTHER} } }\n`);
      try {
        expect((await rein('check')).stdout).toContain(`✗ ${OTHER}`);
      } finally {
        fs.rmSync(path.join(home, 'rein.yaml'));
      }
    });
  }, 120_000);
});

/** A tiny image made offline (FROM scratch, one file) with these labels. */
async function scratchImage(engine: ContainerEngine, tag: string, labels: Record<string, string>): Promise<void> {
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'hello.txt'), `${tag}\n`); // its own content: no build cache shared between them
  fs.writeFileSync(path.join(dir, 'Containerfile'), 'FROM scratch\nCOPY hello.txt /\n');
  const result = await exec(engine.bin, ['build', '--no-cache', '--file', path.join(dir, 'Containerfile'), '--tag', tag, ...Object.entries(labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]), dir]);
  if (result.code !== 0) throw new Error(`${engine.name} build failed: ${result.stderr}`);
}
