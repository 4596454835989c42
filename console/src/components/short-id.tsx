/** A long identifier (`user:usr_<uuid>`, `profile-change:chg_<uuid>`) cut to its first characters; the whole one is in the tooltip and for screen readers. */
const KEEP = 16; // characters shown

export function ShortId({ id }: { id: string }) {
  if (id.length <= KEEP + 2) return <span class="mono">{id}</span>;
  return (
    <span class="mono" title={id}>
      <span aria-hidden="true">{id.slice(0, KEEP)}…</span>
      <span class="visually-hidden">{id}</span>
    </span>
  );
}
