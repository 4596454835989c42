/** A machine-readable `<time>` with the local reading as its text. */
import { formatDateTime } from '../format.js';

export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">—</span>;
  return <time dateTime={at}>{formatDateTime(at)}</time>;
}
