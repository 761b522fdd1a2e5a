// Notes the user manages, on real SQLite with the real ollama client against the scripted server: pinned notes reach
// the model's system prompt at every run start (bounded; recalled notes go with the goal), edits move recall to the
// new text (with or without the embedding model), a deleted note comes back under its id with its vector, and every
// change is reported for audit.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../../../src/runtime/index.ts';
import { MemoryExtension, SqliteMemoryStore, type NoteChange } from '../../../src/runtime/memory/index.ts';
import { openDatabase } from '../../../src/runtime/memory/sqlite/open-database.ts';
import type { ScriptedOllama } from '../../support/scripted-ollama.ts';
import { tempDir, testConfig } from '../../support/fixtures.ts';
import { collect, ofType, startOllama } from './support.ts';

describe('notes the user manages', () => {
  let ollama: ScriptedOllama;
  beforeAll(async () => {
    ollama = await startOllama();
  });
  afterAll(() => ollama.close());

  function start(yaml = '') {
    const changes: NoteChange[] = [];
    const config = testConfig(yaml, ollama.url);
    const memory = new MemoryExtension(config, { onNoteChange: (change) => changes.push(change) });
    const runtime = new Runtime({ config, extensions: [memory], trace: false, retry: { retries: 0 } });
    return { runtime, memory, changes, config };
  }

  it('a pinned note is in the system prompt at run start (recalled ones go with the goal), whatever the goal', async () => {
    const { runtime, memory, changes } = start();
    await runtime.start();
    const pinned = await memory.remember('Always answer in British English.');
    const related = await memory.remember('The staging database listens on port 5433.');
    expect((await memory.pin(pinned.id, true)).pinnedAt).toEqual(expect.any(String));
    ollama.script([{ content: 'Port 5433.' }]);
    const run = runtime.startRun('which port does the staging database use?');
    const events = await collect(run.events);
    expect((await run.result).status).toBe('completed');
    // pinned notes in the system prompt (stable from run to run), recalled ones with the goal
    const [system, goal] = ollama.chatRequests[0]!.messages.map((m) => m.content);
    expect(system).toContain(`Pinned notes (the user asked that you always keep these in mind):\n- [note ${pinned.id}] Always answer in British English.`);
    expect(goal).toContain(`[note ${related.id}] The staging database listens on port 5433.`);
    expect(goal).not.toContain(`[note ${pinned.id}]`); // not again among the recalled notes
    expect(ofType(events, 'memory.recalled')[0]?.noteIds).not.toContain(pinned.id);

    // unpinned: a later run with an unrelated goal no longer carries it
    await memory.pin(pinned.id, false);
    ollama.script([{ content: 'Hello.' }]);
    await runtime.startRun('say hello').result;
    expect(ollama.chatRequests[0]!.messages[0]!.content).not.toContain('British English');
    expect(changes.filter((c) => c.action === 'pin' || c.action === 'unpin').map((c) => [c.action, 'note' in c && c.note.id])).toEqual([['pin', pinned.id], ['unpin', pinned.id]]);
    await runtime.close();
  });

  it('pinning past 10 notes or 1000 characters is refused with the reason; a run leaves out what a store holds past the bound', async () => {
    const { runtime, memory, config } = start();
    await runtime.start();
    const long = await memory.remember(`Project glossary: ${'term '.repeat(180)}`);
    await memory.pin(long.id, true);
    const extra = await memory.remember(`A second long note ${'word '.repeat(20)}`);
    await expect(memory.pin(extra.id, true)).rejects.toThrow(new RegExp(`cannot pin note ${extra.id}: pinned notes would total \\d+ characters, over the 1000`));
    await expect(memory.edit(long.id, `Project glossary: ${'term '.repeat(300)}`)).rejects.toThrow(/cannot change note \d+: pinned notes would total \d+ characters/);
    await memory.pin(long.id, false);
    const short = [];
    for (let i = 0; i < 10; i++) short.push(await memory.remember(`Pinned fact number ${i}.`));
    for (const note of short) await memory.pin(note.id, true);
    await expect(memory.pin(long.id, true)).rejects.toThrow(`cannot pin note ${long.id}: 10 notes are pinned already, the most the model is given at every run start is 10 — unpin one first`);
    expect((await memory.pinnedNotes()).map((n) => n.id)).toEqual(short.map((n) => n.id));
    await runtime.close();

    // another writer pinned past the bound: the run takes what fits, and says so
    const db = openDatabase(config.memory.path);
    db.prepare('UPDATE notes SET pinned_at = ? WHERE id = ?').run('9999-01-01T00:00:00.000Z', long.id);
    db.close();
    const again = start();
    Object.assign(again.config.memory, { path: config.memory.path });
    await again.runtime.start();
    ollama.script([{ content: 'Ok.' }]);
    const run = again.runtime.startRun('anything');
    const events = await collect(run.events);
    expect(ofType(events, 'run.notice').map((e) => e.message)).toContain('1 pinned note was left out: the model is given at most 10 pinned notes of 1000 characters in all (unpin some in the Memory panel)');
    const system = ollama.chatRequests[0]!.messages[0]!.content;
    expect(short.every((n) => system.includes(`[note ${n.id}] ${n.content}`))).toBe(true);
    expect(system).not.toContain('Project glossary');
    await again.runtime.close();
  });

  it('an edited note is recalled by its new text (hybrid), its old text no longer matches; text-only recall too', async () => {
    for (const yaml of ['', 'memory: { embed_model: missing-embedder }']) {
      const { runtime, memory, changes } = start(yaml);
      await runtime.start();
      const note = await memory.remember('The office cat is called Miso.');
      const edited = await memory.edit(note.id, '  The office dog is called Biscuit.  ');
      expect(edited).toMatchObject({ id: note.id, content: 'The office dog is called Biscuit.', createdAt: note.createdAt });
      const found = await memory.recall('what is the dog called', 3);
      expect(found.mode, yaml).toBe(yaml ? 'text' : 'hybrid');
      expect(found.notes.map((n) => n.id)).toEqual([note.id]);
      expect((await memory.recall('Miso cat', 3)).notes).toEqual([]);
      expect(changes.at(-1)).toEqual({ action: 'edit', note: expect.objectContaining({ id: note.id, content: 'The office dog is called Biscuit.' }), previous: 'The office cat is called Miso.' });
      await expect(memory.edit(note.id, '   ')).rejects.toThrow('a note needs some text (delete it instead)');
      await expect(memory.edit(9999, 'x')).rejects.toThrow(/no note 9999/);
      await runtime.close();
    }
  });

  it('a deleted note is restored under its id with provenance, pin and vector; ids are never reused; restoring twice is refused', async () => {
    const { runtime, memory, changes } = start();
    await runtime.start();
    await memory.remember('An older note.');
    const note = await memory.remember('Backups go to the acme-backups bucket.');
    await memory.pin(note.id, true);
    expect(await memory.forget(note.id)).toBe(true);
    const newer = await memory.remember('Written after the delete.');
    expect(newer.id).toBeGreaterThan(note.id); // SQLite alone would hand out the deleted id again
    const restored = await memory.restore(note.id);
    expect(restored).toMatchObject({ id: note.id, content: note.content, source: 'user', createdAt: note.createdAt, pinnedAt: expect.any(String) });
    const found = await memory.recall('where do backups go', 3);
    expect(found.mode).toBe('hybrid');
    expect(found.notes[0]?.id).toBe(note.id);
    await expect(memory.restore(note.id)).rejects.toThrow(`note ${note.id} cannot be restored: only notes deleted in the last 10 minutes can be`);
    expect(changes.filter((c) => c.action === 'forget' || c.action === 'restore')).toEqual([
      { action: 'forget', id: note.id, removed: true },
      { action: 'restore', note: expect.objectContaining({ id: note.id }) },
    ]);
    await runtime.close();
  });

  it('migrates a schema-3 file: notes keep their ids, are unpinned, and new ids continue after the largest', async () => {
    const file = path.join(tempDir(), 'rein.db');
    const old = openDatabase(file, 3);
    old.prepare("INSERT INTO notes (id, content, kind, source, created_at) VALUES (41, 'from before', 'fact', 'user', 'x')").run();
    old.close();
    const store = new SqliteMemoryStore(file);
    expect(await store.getNotes([41])).toEqual([expect.objectContaining({ id: 41, content: 'from before' })]);
    expect((await store.getNotes([41]))[0]!.pinnedAt).toBeUndefined();
    expect((await store.addNote({ content: 'after', kind: 'fact', source: 'user' })).id).toBe(42);
    await store.close();
    expect(fs.existsSync(file)).toBe(true);
  });
});
