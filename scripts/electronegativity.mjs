// Electronegativity (Doyensec) over the Electron code: fails when a finding is above LOW severity.
// Uses the programmatic runner (its CLI breaks with the hoisted commander version).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity');
const root = path.resolve(import.meta.dirname, '..');
const electron = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rein-electronegativity-')), 'report.csv');

// Needs GitHub (Electron's release list); CI is offline. Electron updates come through npm instead.
const OFFLINE_EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];
const LOW = 1; // severity values: INFORMATIONAL 0, LOW 1, MEDIUM 2, HIGH 3
// Findings of manual-review checks that a person reviewed: the check, the file, and why the code is safe.
const REVIEWED = [
  { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'main/open-external.ts', why: 'opens http(s) URLs only (isWebUrl), asked by the Rein window\'s top frame only (isTrustedSender)' },
  { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'renderer/src/external.ts', why: 'calls the preload bridge; main checks sender and URL (main/open-external.ts)' },
];
let failures = 0;
for (const input of ['src']) {
  const result = await run({ input: path.join(root, input), output, isSarif: false, customScan: [], excludeFromScan: OFFLINE_EXCLUDED, electronVersionOverride: electron, isRelative: true }, false);
  const issues = result.issues.filter((issue) => issue.severity);
  for (const error of result.errors) console.log(`parse error (not a finding): ${JSON.stringify(error).slice(0, 200)}`);
  for (const issue of issues) {
    const reviewed = REVIEWED.find((r) => r.id === issue.id && issue.file.replaceAll('\\', '/').endsWith(r.file));
    const above = issue.severity.value > LOW && !reviewed;
    if (above) failures++;
    const mark = above ? 'FAIL' : reviewed ? 'reviewed' : 'ok  ';
    console.log(`${mark} ${issue.severity.name ?? issue.severity.value} ${issue.id} ${input}/${issue.file}:${issue.location?.line ?? '?'}${reviewed ? ` (${reviewed.why})` : ''}`);
  }
}
console.log(failures ? `electronegativity: ${failures} finding(s) above LOW` : 'electronegativity: no finding above LOW');
process.exit(failures ? 1 : 0);
