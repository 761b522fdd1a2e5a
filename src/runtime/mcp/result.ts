// MCP tool results → text the model can read. `isError` results become tool errors.
import type { CallToolResult, ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import { McpToolError } from './errors.ts';

export function mapToolResult(result: CallToolResult): string {
  const parts = (result.content ?? []).map(renderBlock);
  if (parts.length === 0 && result.structuredContent !== undefined) parts.push(JSON.stringify(result.structuredContent, null, 2));
  const text = parts.join('\n');
  if (result.isError) throw new McpToolError(text || 'the tool reported an error without a message');
  return text || '(no output)';
}

export function renderBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type} ${block.mimeType}, ${formatBytes(base64Bytes(block.data))}]`;
    case 'resource_link':
      return `[resource link: ${block.uri}${block.name ? ` (${block.name})` : ''}${block.description ? ` — ${block.description}` : ''}]`;
    case 'resource': {
      const { resource } = block;
      const mime = resource.mimeType ? `, ${resource.mimeType}` : '';
      if ('text' in resource) return `[resource ${resource.uri}${mime}]\n${resource.text}`;
      return `[resource ${resource.uri}${mime}: binary, ${formatBytes(base64Bytes(resource.blob))}]`;
    }
    default:
      return `[unsupported content: ${JSON.stringify(block).slice(0, 200)}]`;
  }
}

function base64Bytes(data: string): number {
  return Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
}

function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1)} KB`;
}
