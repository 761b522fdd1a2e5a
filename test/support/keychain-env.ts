// Every test process keeps its file-fallback secrets (audit keys, tokens) in a temp folder, never in the user's state
// home. The keychain SELECTION is left at its default (REIN_KEYCHAIN unset), so the tests exercise what users get:
// the OS keychain where one persists (Secret Service, macOS Keychain, Windows Credential Manager), else the files.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

process.env.REIN_KEYCHAIN_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), 'rein-keys-'));
