// Documents dropped on the chat (or chosen with its attach button): in the desktop app each file is attached to the conversation (knowledge.attach)
// by its path on this computer (the preload's webUtils.getPathForFile). A browser (`rein serve`) gives no paths:
// there the file's bytes are uploaded (knowledge.upload), stored by the host and attached the same way. Dropped
// before the conversation exists (a new chat), they are attached as soon as the first message starts it.
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import type { RuntimeApi } from '../../common/index.ts';
import { errorText } from './client.ts';
import { uploadDocument } from './upload-document.ts';

/** One dropped file on its way in, or why it could not be attached. */
export interface DropItem {
  name: string;
  state: 'waiting' | 'attaching' | 'error';
  message?: string;
  /** An upload's share sent so far (0–1). */
  sent?: number;
}

/** A dropped file: its path on this computer (desktop) or its bytes to upload (browser). */
type Dropped = { name: string; path: string } | { name: string; file: File };

export function useDocumentDrop(client: RuntimeApi, conversationId: string | undefined, onAttached: () => void) {
  const [dragging, setDragging] = useState(false);
  const [items, setItems] = useState<DropItem[]>([]);
  const held = useRef<Dropped[]>([]);

  const update = (name: string, change: Partial<DropItem> | undefined) => {
    setItems((list) => (change ? list.map((i) => (i.name === name ? { ...i, ...change } : i)) : list.filter((i) => i.name !== name)));
  };

  const attach = useCallback(async (conversation: string, files: Dropped[]) => {
    for (const dropped of files) {
      update(dropped.name, { state: 'attaching' });
      try {
        if ('path' in dropped) await client.knowledge.attach(conversation, [dropped.path]);
        else await uploadDocument(client, conversation, dropped.file, (sent) => { update(dropped.name, { sent }); });
        update(dropped.name, undefined);
        onAttached();
      } catch (error) {
        // The host names the file; the list shows it already.
        update(dropped.name, { state: 'error', message: errorText(error).replace(`${dropped.name}: `, '') });
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
    const desktop = window.reinDesktop;
    const located: Dropped[] = [];
    const next: DropItem[] = [];
    for (const file of files) {
      if (!desktop) {
        located.push({ name: file.name, file });
        next.push({ name: file.name, state: 'waiting' });
        continue;
      }
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
  const dismiss = (name: string) => {
    update(name, undefined);
  };
  return { dragging, items, handlers, dismiss, add: drop, waitingForConversation: !conversationId && items.some((i) => i.state === 'waiting') };
}
