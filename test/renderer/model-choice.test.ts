// What the chat says when the model cannot be used: what to do depends on where the model runs.
import { describe, expect, it } from 'vitest';
import { blockedText } from '../../src/renderer/src/model-choice.ts';

const down = { model: 'm', reachable: false, present: false };

describe('blockedText', () => {
  it('tells to start a local server, and to check the connection for a cloud or LAN one', () => {
    expect(blockedText({ ...down, provider: 'ollama', host: 'http://127.0.0.1:11434' })).toMatch(/start it \(`ollama serve`/);
    expect(blockedText({ ...down, provider: 'openai_compatible', host: 'http://127.0.0.1:1234/v1' })).toMatch(/— start the server\./);
    expect(blockedText({ ...down, provider: 'anthropic', host: 'https://api.anthropic.com', cloud: true })).toMatch(/check the internet connection/);
    expect(blockedText({ ...down, provider: 'openai_compatible', host: 'http://gpu-box.lan:8000/v1', cloud: true })).toMatch(/this computer can reach it/);
  });

  it('says nothing when the model is ready', () => {
    expect(blockedText({ ...down, provider: 'ollama', host: 'x', reachable: true, present: true })).toBeUndefined();
  });
});
