// Tool arguments people can read: an object's fields as a table; code (run_js, skills) highlighted; long or
// multi-line text as a block; anything else as formatted JSON.
import { CodeBlock } from './CodeBlock.tsx';

const CODE_KEYS = new Set(['code', 'script', 'source', 'js', 'javascript']);

function Value({ name, value }: { name: string; value: unknown }) {
  if (typeof value === 'string') {
    if (CODE_KEYS.has(name)) return <CodeBlock code={value} lang="javascript" label={`${name} (JavaScript)`} />;
    if (value.includes('\n') || value.length > 120) return <pre className="arg-text">{value}</pre>;
    return <span className="arg-value">{value}</span>;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return <code>{String(value)}</code>;
  return <CodeBlock code={JSON.stringify(value, null, 2)} lang="json" label="json" />;
}

export function ArgsView({ value, label = 'Arguments' }: { value: unknown; label?: string }) {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return <p className="muted small">no arguments</p>;
    return (
      <table className="args-table" aria-label={label}>
        <tbody>
          {entries.map(([key, v]) => (
            <tr key={key}>
              <th scope="row">{key}</th>
              <td><Value name={key} value={v} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  if (value === undefined) return <p className="muted small">no arguments</p>;
  return <Value name="" value={value} />;
}
