// Every `rein` command, one file each. Add a command by adding its file and a line here.
import type { Command } from '../command.ts';
import { doctor } from './doctor.ts';
import { run } from './run.ts';
import { sessions } from './sessions.ts';

export const COMMANDS: Command[] = [run, sessions, doctor];
