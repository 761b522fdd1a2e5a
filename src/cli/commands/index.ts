// Every `rein` command, one file each. Add a command by adding its file and a line here.
import type { Command } from '../command.ts';
import { doctor } from './doctor.ts';
import { mcp } from './mcp.ts';
import { run } from './run.ts';

export const COMMANDS: Command[] = [run, doctor, mcp];
