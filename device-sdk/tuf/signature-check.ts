/**
 * Parsing a role and checking its signature threshold, the costly part of every metadata
 * check (TUF 5.2, 5.4.2, 5.5.3, 5.6.3). An `Updater` re-reads its trusted metadata on each
 * refresh; `SignatureCache` remembers which exact bytes met which exact authority, so
 * unchanged metadata is not parsed and verified again. Only successes are kept, and any
 * other byte or any other key, threshold or scheme is a miss. Checks that depend on the
 * reference time or on other roles (expiry, versions, pinned hashes) are never cached.
 */
import { Metadata, verifyThreshold, type Authority, type JsonLimits, type RoleType, type SignedByType } from '../../manifests/index.js';

/** `self`: the root's own root keys (a trusted root must be signed by them, TUF 5.2). */
export type SigningAuthority = Authority | 'self';

export interface SignatureCheck {
  /** Parse `bytes` as `type` and require a threshold of `authority`; throws ManifestError. */
  verify<K extends RoleType>(type: K, bytes: Uint8Array, authority: SigningAuthority, role: string): Metadata<SignedByType[K]>;
}

/** No memory: parse and verify every time. */
export function uncachedSignatureCheck(limits: Partial<JsonLimits>): SignatureCheck {
  return {
    verify(type, bytes, authority, role) {
      const metadata = Metadata.fromBytes(type, bytes, limits);
      verifyThreshold(metadata, resolve(metadata, authority), role);
      return metadata;
    },
  };
}

/** Entries kept at most (one per role and authority); beyond it the cache starts afresh. */
const MAX_ENTRIES = 1024;

interface Entry {
  readonly bytes: Buffer;
  readonly metadata: Metadata;
}

export class SignatureCache implements SignatureCheck {
  readonly #inner: SignatureCheck;
  readonly #entries = new Map<string, Entry>();

  constructor(limits: Partial<JsonLimits>) {
    this.#inner = uncachedSignatureCheck(limits);
  }

  verify<K extends RoleType>(type: K, bytes: Uint8Array, authority: SigningAuthority, role: string): Metadata<SignedByType[K]> {
    const key = `${type}\u0000${role}\u0000${fingerprint(authority)}`;
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.bytes.equals(bytes)) return entry.metadata as Metadata<SignedByType[K]>;
    const metadata = this.#inner.verify(type, bytes, authority, role);
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    this.#entries.set(key, { bytes: Buffer.from(bytes), metadata });
    return metadata;
  }
}

function resolve(metadata: Metadata, authority: SigningAuthority): Authority {
  if (authority !== 'self') return authority;
  if (metadata.signed.type !== 'root') throw new TypeError('only root is self-signed');
  return metadata.signed.authority('root');
}

/** Everything that decides whether a signature counts: threshold, key IDs, key types, schemes and values. */
function fingerprint(authority: SigningAuthority): string {
  if (authority === 'self') return 'self';
  const keys = [...authority.keys].map(([keyId, key]) => `${keyId}:${key.keyType}:${key.scheme}:${key.publicValue}`).sort();
  return `${authority.threshold}|${keys.join('|')}`;
}
