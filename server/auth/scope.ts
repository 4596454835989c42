/**
 * Who a bearer token speaks for. Stored as text: `operator`, `vendor:<id>` or
 * `merchant:<id>` (devices authenticate by signed requests, not tokens).
 */
export type Scope =
  | { readonly kind: 'operator' }
  | { readonly kind: 'vendor'; readonly vendorId: string }
  | { readonly kind: 'merchant'; readonly merchantId: string };

const VENDOR_ID = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** A merchant id (MID), as profiles carry it (manifests/profile/profile-document.ts). */
const MERCHANT_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Role names a vendor id may never take: its role would collide with these in the metadata table. */
const RESERVED_ROLE_NAMES = new Set(['root', 'targets', 'snapshot', 'timestamp']);

export function isVendorId(value: string): boolean {
  return VENDOR_ID.test(value) && !RESERVED_ROLE_NAMES.has(value) && !value.startsWith('director');
}

export function isMerchantId(value: string): boolean {
  return MERCHANT_ID.test(value) && value !== '.' && value !== '..';
}

export function parseScope(text: string): Scope | undefined {
  if (text === 'operator') return { kind: 'operator' };
  if (text.startsWith('vendor:') && isVendorId(text.slice('vendor:'.length))) return { kind: 'vendor', vendorId: text.slice('vendor:'.length) };
  if (text.startsWith('merchant:') && isMerchantId(text.slice('merchant:'.length))) return { kind: 'merchant', merchantId: text.slice('merchant:'.length) };
  return undefined;
}

export function formatScope(scope: Scope): string {
  switch (scope.kind) {
    case 'operator':
      return 'operator';
    case 'vendor':
      return `vendor:${scope.vendorId}`;
    case 'merchant':
      return `merchant:${scope.merchantId}`;
  }
}
