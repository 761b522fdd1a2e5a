// Secrets (MCP header tokens, API keys) encrypted with the OS keychain via safeStorage, in <userData>/secrets.json.
// They are put into the host's environment when the shell starts it, so rein.yaml refers to them as `${env:NAME}`.
import fs from 'node:fs';
import path from 'node:path';
import { safeStorage } from 'electron';

const NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

export class SecretStore {
  private readonly file: string;

  constructor(dir: string) {
    this.file = path.join(dir, 'secrets.json');
  }

  set(name: string, value: string): void {
    if (!NAME.test(name)) throw new Error(`secret name "${name}" must look like an environment variable (A-Z, 0-9, _)`);
    if (!safeStorage.isEncryptionAvailable()) throw new Error('the OS keychain is not available, so Rein will not store secrets');
    const all = this.read();
    all[name] = safeStorage.encryptString(value).toString('base64');
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    fs.writeFileSync(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }

  delete(name: string): void {
    const all = this.read();
    delete all[name];
    fs.writeFileSync(this.file, JSON.stringify(all, null, 2), { mode: 0o600 });
  }

  /** Decrypts every secret into `env` (unless already set there); returns the names that could not be decrypted. */
  exportTo(env: NodeJS.ProcessEnv): string[] {
    if (!safeStorage.isEncryptionAvailable()) return Object.keys(this.read());
    const failed: string[] = [];
    for (const [name, sealed] of Object.entries(this.read())) {
      try {
        env[name] ??= safeStorage.decryptString(Buffer.from(sealed, 'base64'));
      } catch {
        failed.push(name);
      }
    }
    return failed;
  }

  private read(): Record<string, string> {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  }
}
