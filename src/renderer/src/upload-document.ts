// A dropped file's bytes sent to the host (a browser gives no paths): announced first (an unsupported type or a
// size over knowledge.max_file_mb is refused before any byte), then sent in chunks, then attached.
import type { KnowledgeSourceView, RuntimeApi } from '../../common/index.ts';

/** Base64 of a slice of the file, without the data URL's prefix. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => { resolve(String(reader.result).replace(/^data:[^,]*,/, '')); };
    reader.onerror = () => { reject(reader.error ?? new Error('the file could not be read')); };
    reader.readAsDataURL(blob);
  });
}

export async function uploadDocument(client: RuntimeApi, conversationId: string, file: File, onProgress: (fraction: number) => void): Promise<KnowledgeSourceView> {
  const ticket = await client.knowledge.upload({ conversationId, name: file.name, size: file.size });
  try {
    for (let at = 0; at < file.size; at += ticket.chunkBytes) {
      await client.knowledge.uploadChunk(ticket.uploadId, await base64Of(file.slice(at, at + ticket.chunkBytes)));
      onProgress(Math.min(1, (at + ticket.chunkBytes) / file.size));
    }
    return await client.knowledge.uploadFinish(ticket.uploadId);
  } catch (error) {
    await client.knowledge.uploadCancel(ticket.uploadId).catch(() => undefined);
    throw error;
  }
}
