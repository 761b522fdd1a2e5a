import { useState } from 'react';
import type { McpServerSpec, RuntimeApi } from '../../../../common/index.ts';
import { errorText } from '../../client.ts';

interface Props {
  client: RuntimeApi;
  onAdded: () => void;
  onError: (message: string) => void;
}

export function McpAddForm({ client, onAdded, onError }: Props) {
  const [name, setName] = useState('');
  const [target, setTarget] = useState('');
  const [json, setJson] = useState('');
  const [message, setMessage] = useState<string>();
  const fail = (err: unknown) => { onError(errorText(err)); };

  const add = () => {
    const spec: McpServerSpec = /^https?:\/\//.test(target)
      ? { name, url: target }
      : { name, command: target.split(/\s+/)[0]!, args: target.split(/\s+/).slice(1) };
    setMessage(undefined);
    client.mcp.add(spec).then((status) => {
      setName('');
      setTarget('');
      setMessage(`Added ${status.name}: ${status.state}${status.reason ? ` (${status.reason})` : ''}, ${status.toolCount} tools.`);
      onAdded();
    }, fail);
  };
  const importJson = () => {
    client.mcp.importClaudeDesktop(json).then((result) => {
      setMessage(`Imported ${result.added.join(', ') || 'nothing'} into ${result.file}${result.notes.length ? `; ${result.notes.map((n) => `${n.server}: ${n.message}`).join('; ')}` : ''}.`);
      onAdded();
    }, fail);
  };
  return (
    <div className="mcp-forms">
      <h3>Add a server</h3>
      <div className="row">
        <input aria-label="Server name" className="text-input" placeholder="name" value={name} onChange={(e) => { setName(e.target.value); }} />
        <input aria-label="Command or URL" className="text-input grow" placeholder="npx -y @modelcontextprotocol/server-filesystem ~/notes, or https://…" value={target} onChange={(e) => { setTarget(e.target.value); }} />
        <button type="button" className="button" disabled={!name.trim() || !target.trim()} onClick={add}>Add</button>
      </div>
      <h3>Import from Claude Desktop</h3>
      <textarea aria-label="Claude Desktop config JSON" className="code-input" rows={5} placeholder='{"mcpServers": {…}}' value={json} onChange={(e) => { setJson(e.target.value); }} />
      <button type="button" className="button" disabled={!json.trim()} onClick={importJson}>Import</button>
      {message && <p className="muted" role="status">{message}</p>}
    </div>
  );
}
