/**
 * Before and after of a change, field by field: the leaves that differ between two JSON
 * values (already masked by the server), as a small table.
 */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export function diffJson(before: unknown, after: unknown, path = ''): FieldChange[] {
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffJson(before[key], after[key], path === '' ? key : `${path}.${key}`));
  }
  // An object that appears or goes away is shown leaf by leaf.
  if (isObject(before) && (after === undefined || after === null)) return diffJson(before, {}, path);
  if (isObject(after) && (before === undefined || before === null)) return diffJson({}, after, path);
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path: path === '' ? '(value)' : path, before, after }];
}

export function showValue(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(' / ');
  return JSON.stringify(value);
}

export function ChangeTable({ changes, caption }: { changes: readonly FieldChange[]; caption?: string }) {
  if (changes.length === 0) return <p class="muted small">No field changed.</p>;
  return (
    <table class="table compact diff">
      {caption && <caption>{caption}</caption>}
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.path}>
            <th scope="row" class="mono">
              {change.path}
            </th>
            <td class="before">{showValue(change.before)}</td>
            <td class="after">{showValue(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
