// `rein agents image build|check`: the image the container backend of subagents runs, made offline from this
// installation (docs/subagents.md, "Container backend").
import { ContainerEngineError, ContainerImageError, buildImage, checkImage, defaultImageName, findEngine, type EngineChoice } from '../../runtime/index.ts';
import type { CommandContext, CommandRunner } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

const USAGE = 'Usage: rein agents image build [--engine podman|docker] [--tag NAME] | rein agents image check [--json]\n';
const ENGINES = ['auto', 'podman', 'docker'];

export const agents: CommandRunner = {
  run: async (context) => {
    const [group, action] = context.args;
    if (group !== 'image' || (action !== 'build' && action !== 'check')) {
      context.io.stderr.write(USAGE);
      return ExitCode.usage;
    }
    const engineOption = context.options.engine;
    if (engineOption !== undefined && !ENGINES.includes(String(engineOption))) {
      context.io.stderr.write(`rein agents: --engine must be podman, docker or auto, got "${String(engineOption)}"\n`);
      return ExitCode.usage;
    }
    try {
      return action === 'build' ? await build(context) : await check(context);
    } catch (error) {
      if (!(error instanceof ContainerEngineError || error instanceof ContainerImageError)) throw error;
      context.io.stderr.write(`rein agents image ${action}: ${error.message}\n`);
      return ExitCode.failed;
    }
  },
};

function settings({ options, config }: CommandContext): { engine: EngineChoice; image: string } {
  const container = config().agents.container;
  const engine = (typeof options.engine === 'string' ? options.engine : container.engine) as EngineChoice;
  const image = typeof options.tag === 'string' && options.tag ? options.tag : (container.image ?? defaultImageName());
  return { engine, image };
}

async function build(context: CommandContext): Promise<number> {
  const { io } = context;
  const { engine: choice, image } = settings(context);
  const engine = await findEngine(choice);
  const began = performance.now();
  const built = await buildImage(engine, { image, say: (line) => io.stderr.write(`${line}…\n`) });
  const seconds = ((performance.now() - began) / 1000).toFixed(1);
  io.stdout.write(`✓ built ${built.image} with ${engine.name} ${engine.version} in ${seconds} s (Rein ${built.version}, build ${built.build}; ${Math.round(built.bytes / 1e6)} MB)\n`);
  io.stdout.write('  subagents run in it with agents.backend: container (check it any time: rein agents image check)\n');
  return ExitCode.ok;
}

async function check(context: CommandContext): Promise<number> {
  const { io, options } = context;
  const { engine: choice, image } = settings(context);
  const engine = await findEngine(choice);
  const result = await checkImage(engine, { image });
  if (options.json) {
    io.stdout.write(`${JSON.stringify({ engine: engine.name, engineVersion: engine.version, ...result })}\n`);
    return result.exists && (result.current || !result.build) ? ExitCode.ok : ExitCode.failed;
  }
  const where = `${result.image} (${engine.name} ${engine.version})`;
  const rebuild = 'run `rein agents image build`';
  if (!result.exists) {
    io.stdout.write(`✗ ${result.image} is not in ${engine.name}: ${rebuild}\n`);
    return ExitCode.failed;
  }
  if (result.current) {
    io.stdout.write(`✓ ${where}: made from this Rein (version ${result.version}, build ${result.build})\n`);
    return ExitCode.ok;
  }
  if (!result.build) {
    io.stdout.write(`? ${where} exists but was not made by \`rein agents image build\`: its Rein version is unknown (this is ${result.expected.version})\n`);
    return ExitCode.ok;
  }
  io.stdout.write(`✗ ${where} was made from another Rein (version ${result.version}, build ${result.build}; this is version ${result.expected.version}, build ${result.expected.build}): ${rebuild}\n`);
  return ExitCode.failed;
}
