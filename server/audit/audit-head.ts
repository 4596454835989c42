/**
 * The head of the audit chain, written `SEQ:HASH` (e.g. `42:9f86d0...`): what an operator
 * records outside the database (`steward audit head`) and later checks against
 * (`steward audit verify --expect-head SEQ:HASH`). Entry SEQ's hash commits to every entry
 * before it, so one recorded head pins the whole history up to SEQ.
 *
 * @example
 * parseAuditHead('42:' + 'ab'.repeat(32)); // { seq: 42, hash: 'abab...' }
 * formatAuditHead({ seq: 42, hash }); // '42:abab...'
 */
export interface AuditHead {
  readonly seq: number;
  /** SHA-256, lower-case hex. */
  readonly hash: string;
}

const HEAD = /^(\d{1,15}):([0-9a-f]{64})$/;

export function parseAuditHead(text: string): AuditHead | undefined {
  const match = HEAD.exec(text.trim().toLowerCase());
  if (!match?.[1] || !match[2]) return undefined;
  return { seq: Number(match[1]), hash: match[2] };
}

export function formatAuditHead(head: AuditHead): string {
  return `${head.seq}:${head.hash}`;
}
