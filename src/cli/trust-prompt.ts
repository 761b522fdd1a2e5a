// On a terminal, an untrusted project folder is offered for trust once; headless runs refuse (see main.ts).
import readline from 'node:readline/promises';
import type { ProjectFolder } from '../runtime/index.ts';
import { escapeForTerminal } from '../common/terminal-text.ts';

export async function askToTrust(project: ProjectFolder, input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<boolean> {
  const rl = readline.createInterface({ input, output, terminal: true });
  try {
    output.write(
      `\n? Trust the folder ${escapeForTerminal(project.dir)}?\n` +
        `  It has ${project.found.join(' and ')}: a rein.yaml can start programs (MCP servers) and relax the policy; skills/ adds approved skills.\n` +
        '  Trust it only if you trust whoever wrote these files. (Later: rein trust --revoke <dir>)\n',
    );
    const reply = (await rl.question('  [y] trust this folder  [n] no: ')).trim().toLowerCase();
    return reply === 'y' || reply === 'yes';
  } finally {
    rl.close();
  }
}
