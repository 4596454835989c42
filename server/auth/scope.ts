/**
 * Who a bearer token speaks for. Stored as text: `operator` or `vendor:<id>`
 * (merchants and devices authenticate in their own ways).
 */
export type Scope = { readonly kind: 'operator' } | { readonly kind: 'vendor'; readonly vendorId: string };

const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Role names a vendor id may never take: its role would collide with these in the metadata table. */
const RESERVED_ROLE_NAMES = new Set(['root', 'targets', 'snapshot', 'timestamp']);

export function isVendorId(value: string): boolean {
  return VENDOR_ID.test(value) && !RESERVED_ROLE_NAMES.has(value) && !value.startsWith('director');
}

export function parseScope(text: string): Scope | undefined {
  if (text === 'operator') return { kind: 'operator' };
  if (text.startsWith('vendor:') && isVendorId(text.slice('vendor:'.length))) return { kind: 'vendor', vendorId: text.slice('vendor:'.length) };
  return undefined;
}

export function formatScope(scope: Scope): string {
  switch (scope.kind) {
    case 'operator':
      return 'operator';
    case 'vendor':
      return `vendor:${scope.vendorId}`;
  }
}
