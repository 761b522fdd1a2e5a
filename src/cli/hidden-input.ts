// Reads one line from a terminal without echoing it (a secret typed by hand).
import readline from 'node:readline';
import { Writable } from 'node:stream';

export async function readHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  // Everything readline would echo goes nowhere; the prompt was written above.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = readline.createInterface({ input, output: muted, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.once('line', resolve);
      rl.once('SIGINT', () => reject(new Error('cancelled')));
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
    output.write('\n');
  }
}
