// Every test process keeps its secrets (audit keys, tokens) in a temp folder, never in the user's keychain or state home.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.REIN_KEYCHAIN_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rein-keys-'));
process.env.REIN_KEYCHAIN ??= 'file';
