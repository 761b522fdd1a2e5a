// Documents dropped on the chat: each file is attached to the conversation (knowledge.attach) by its path on
// this computer, which only the desktop app knows (the preload's webUtils.getPathForFile). A browser
// (`rein serve`) cannot tell where a dropped file is: it says so and points to the Knowledge panel. Dropped
// before the conversation exists (a new chat), they are attached as soon as the first message starts it.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { RuntimeApi } from '../../common/index.ts';
import { errorText } from './client.ts';

/** One dropped file on its way in, or why it could not be attached. */
export interface DropItem {
  name: string;
  state: 'waiting' | 'attaching' | 'error';
  message?: string;
}

export const BROWSER_DROP_NOTICE =
  'A browser does not tell Rein where a dropped file is, so it cannot be attached here. Drop files in the Rein desktop app, or add their folder in Knowledge (by its path on the computer Rein runs on).';

export function useDocumentDrop(client: RuntimeApi, conversationId: string | undefined, onAttached: () => void) {
  const [dragging, setDragging] = useState(false);
  const [items, setItems] = useState<DropItem[]>([]);
  const [notice, setNotice] = useState<string>();
  const held = useRef<{ name: string; path: string }[]>([]);

  const update = (name: string, change: Partial<DropItem> | undefined) => {
    setItems((list) => (change ? list.map((i) => (i.name === name ? { ...i, ...change } : i)) : list.filter((i) => i.name !== name)));
  };

  const attach = useCallback(async (conversation: string, files: { name: string; path: string }[]) => {
    for (const file of files) {
      update(file.name, { state: 'attaching' });
      try {
        await client.knowledge.attach(conversation, [file.path]);
        update(file.name, undefined);
        onAttached();
      } catch (error) {
        update(file.name, { state: 'error', message: errorText(error) });
      }
    }
  }, [client, onAttached]);

  // A new chat's documents go in once its first run exists.
  useEffect(() => {
    if (!conversationId || held.current.length === 0) return;
    const files = held.current;
    held.current = [];
    void attach(conversationId, files);
  }, [conversationId, attach]);

  const drop = (files: File[]) => {
    setNotice(undefined);
    const desktop = window.reinDesktop;
    if (!desktop) {
      setNotice(BROWSER_DROP_NOTICE);
      return;
    }
    const located: { name: string; path: string }[] = [];
    const next: DropItem[] = [];
    for (const file of files) {
      const path = desktop.pathForFile(file);
      if (path) located.push({ name: file.name, path });
      next.push(path ? { name: file.name, state: 'waiting' } : { name: file.name, state: 'error', message: 'not a file on this computer (dragged from a web page or an archive?): save it first, then drop it' });
    }
    setItems((list) => [...list.filter((i) => !next.some((n) => n.name === i.name)), ...next]);
    if (conversationId) void attach(conversationId, located);
    else held.current.push(...located);
  };

  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const handlers = {
    onDragOver: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
    },
    onDragLeave: (event: DragEvent) => {
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!hasFiles(event)) return;
      event.preventDefault();
      setDragging(false);
      drop([...event.dataTransfer.files]);
    },
  };
  const dismiss = (name?: string) => {
    if (name) update(name, undefined);
    else setNotice(undefined);
  };
  return { dragging, items, notice, handlers, dismiss, waitingForConversation: !conversationId && items.some((i) => i.state === 'waiting') };
}
