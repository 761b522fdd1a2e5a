// Every `rein` command, one file each. Add a command by adding its file and a line here.
import type { Command } from '../command.ts';
import { approvals } from './approvals.ts';
import { audit } from './audit.ts';
import { doctor } from './doctor.ts';
import { feedback } from './feedback.ts';
import { knowledge } from './knowledge.ts';
import { mcp } from './mcp.ts';
import { run } from './run.ts';
import { schedules } from './schedules.ts';
import { serve } from './serve.ts';
import { sessions } from './sessions.ts';
import { skills } from './skills.ts';
import { trust } from './trust.ts';

export const COMMANDS: Command[] = [run, sessions, doctor, serve, approvals, audit, mcp, skills, feedback, schedules, knowledge, trust];
