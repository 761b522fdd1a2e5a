// Rename, delete (with a few seconds to undo) and export conversations from the sidebar; titles (the user's, and the
// ones the model writes after a first answer) are loaded once and kept current.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RuntimeApi } from '../../common/index.ts';
import { errorText } from './client.ts';
import type { Conversation } from './conversations.ts';
import { conversationMarkdown, download, fileSafe } from './export-conversation.ts';
import type { ConversationActions } from './components/Sidebar.tsx';

/** A deletion waiting for its undo window to pass. */
export interface PendingRemoval {
  conversation: Conversation;
  memory: boolean;
}

export function useConversationActions(client: RuntimeApi, onRemoved: (conversation: Conversation) => void, onError: (message: string) => void) {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const [pending, setPending] = useState<PendingRemoval>();
  const pendingRef = useRef<PendingRemoval>(undefined);
  const reloadTitles = useCallback(() => { client.conversations.titles().then(setTitles, () => undefined); }, [client]);
  useEffect(reloadTitles, [reloadTitles]);
  useEffect(() => client.onEvent((event) => { if (event.type === 'conversation.titled') reloadTitles(); }), [client, reloadTitles]);
  const fail = (err: unknown) => { onError(errorText(err)); };

  const commit = (removal: PendingRemoval) => {
    client.conversations.remove(removal.conversation.id, removal.memory ? { memory: true } : undefined).then(reloadTitles, fail);
  };
  const schedule = (removal: PendingRemoval | undefined) => {
    pendingRef.current = removal;
    setPending(removal);
  };
  // Leaving the page inside the undo window keeps the conversation: nothing is deleted unseen.

  const actions: ConversationActions = {
    rename: (conversation, title) => { client.conversations.rename(conversation.id, title).then(reloadTitles, fail); },
    remove: (conversation, memory) => {
      if (pendingRef.current) commit(pendingRef.current); // a second delete confirms the first
      schedule({ conversation, memory });
      onRemoved(conversation);
    },
    exportAs: (conversation, format) => {
      const title = titles[conversation.id] ?? conversation.title.split('\n')[0] ?? conversation.id;
      Promise.all(conversation.runIds.map(async (runId) => ({ runId, events: await client.runs.events(runId) }))).then((runs) => {
        if (format === 'json') download(`${fileSafe(title)}.json`, JSON.stringify({ title, conversationId: conversation.id, runs }, null, 2), 'application/json');
        else download(`${fileSafe(title)}.md`, conversationMarkdown(title, runs), 'text/markdown');
      }, fail);
    },
  };
  const undo = useCallback(() => { schedule(undefined); }, []);
  const expire = useCallback(() => {
    const removal = pendingRef.current;
    schedule(undefined);
    if (removal) commit(removal);
  }, [client]);
  const search = useCallback((query: string) => client.conversations.search(query), [client]);
  return { titles, actions, search, pending, undo, expire };
}
