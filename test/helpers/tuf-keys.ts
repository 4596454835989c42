/**
 * Keys for test repositories: a `Keyring` is the signers of one role and its threshold.
 *
 * @example
 * const vendor = Keyring.generate({ count: 2, threshold: 2 });
 * const signed = await Metadata.create(targets).signAll(vendor.signers);
 */
import { generateKeyPair, type KeyObjectSigner, type PublicKey, type SupportedKeyType } from '../../manifests/index.js';

export class Keyring {
  readonly signers: readonly KeyObjectSigner[];
  readonly threshold: number;

  constructor(signers: readonly KeyObjectSigner[], threshold = signers.length) {
    if (threshold < 1 || threshold > signers.length) throw new RangeError(`threshold ${threshold} for ${signers.length} keys`);
    this.signers = signers;
    this.threshold = threshold;
  }

  static generate(options: { count?: number; threshold?: number; type?: SupportedKeyType } = {}): Keyring {
    const threshold = options.threshold ?? 1;
    const count = options.count ?? threshold;
    const signers = Array.from({ length: count }, () => generateKeyPair(options.type ?? 'ed25519', { rsaModulusLength: 2048 }).signer);
    return new Keyring(signers, threshold);
  }

  get publicKeys(): PublicKey[] {
    return this.signers.map((signer) => signer.publicKey);
  }

  get keyIds(): string[] {
    return this.publicKeys.map((key) => key.keyId());
  }

  keyMap(): Map<string, PublicKey> {
    return new Map(this.publicKeys.map((key) => [key.keyId(), key]));
  }
}
