// Rename, delete and export conversations from the sidebar; user titles are loaded once and kept current.
import { useCallback, useEffect, useState } from 'react';
import type { RuntimeApi } from '../../common/index.ts';
import { errorText } from './client.ts';
import type { Conversation } from './conversations.ts';
import { conversationMarkdown, download, fileSafe } from './export-conversation.ts';
import type { ConversationActions } from './components/Sidebar.tsx';

export function useConversationActions(client: RuntimeApi, onRemoved: (conversation: Conversation) => void, onError: (message: string) => void) {
  const [titles, setTitles] = useState<Record<string, string>>({});
  const reloadTitles = useCallback(() => { client.conversations.titles().then(setTitles, () => undefined); }, [client]);
  useEffect(reloadTitles, [reloadTitles]);
  const fail = (err: unknown) => { onError(errorText(err)); };

  const actions: ConversationActions = {
    rename: (conversation, title) => { client.conversations.rename(conversation.id, title).then(reloadTitles, fail); },
    remove: (conversation, memory) => { client.conversations.remove(conversation.id, memory ? { memory } : undefined).then(() => { onRemoved(conversation); reloadTitles(); }, fail); },
    exportAs: (conversation, format) => {
      const title = titles[conversation.id] ?? conversation.title;
      Promise.all(conversation.runIds.map(async (runId) => ({ runId, events: await client.runs.events(runId) }))).then((runs) => {
        if (format === 'json') download(`${fileSafe(title)}.json`, JSON.stringify({ title, conversationId: conversation.id, runs }, null, 2), 'application/json');
        else download(`${fileSafe(title)}.md`, conversationMarkdown(title, runs), 'text/markdown');
      }, fail);
    },
  };
  const search = useCallback((query: string) => client.conversations.search(query), [client]);
  return { titles, actions, search };
}
