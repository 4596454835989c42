/**
 * One HTTP byte range (RFC 9110 14.1.2): `bytes=a-b`, `bytes=a-`, `bytes=-n`. Several
 * ranges in one header are answered with the whole body, as RFC 9110 14.2 allows.
 */
export type RangeRequest = { readonly kind: 'none' } | { readonly kind: 'unsatisfiable' } | { readonly kind: 'range'; readonly start: number; readonly end: number };

const SINGLE_RANGE = /^bytes=(\d*)-(\d*)$/;

export function parseByteRange(header: string | undefined, totalLength: number): RangeRequest {
  if (header === undefined) return { kind: 'none' };
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return { kind: 'none' };
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return { kind: 'none' };
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || totalLength === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, totalLength - suffix), end: totalLength - 1 };
  }
  const start = Number(first);
  const end = last === '' ? totalLength - 1 : Math.min(Number(last), totalLength - 1);
  if (start >= totalLength || end < start) return { kind: 'unsatisfiable' };
  return { kind: 'range', start, end };
}
