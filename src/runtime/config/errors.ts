import { ReinError } from '../base/index.ts';

export interface ConfigIssue {
  /** Dotted key path, e.g. `model.temperature` or `mcp_servers[0].url`. Empty for the whole file. */
  path: string;
  message: string;
  line?: number;
  column?: number;
  /** A model source refused by policy.model_egress. */
  egress?: boolean;
}

export class ConfigError extends ReinError {
  readonly file: string | undefined;
  readonly issues: ConfigIssue[];
  constructor(file: string | undefined, issues: ConfigIssue[]) {
    super(formatIssues(file, issues));
    this.file = file;
    this.issues = issues;
  }
}

function formatIssues(file: string | undefined, issues: ConfigIssue[]): string {
  const where = file ?? 'configuration';
  const lines = issues.map((issue) => {
    const loc = issue.line ? `${where}:${issue.line}${issue.column ? `:${issue.column}` : ''}` : where;
    const key = issue.path ? `${issue.path}: ` : '';
    return `  ${loc}  ${key}${issue.message}`;
  });
  return `Invalid config (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${lines.join('\n')}`;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
