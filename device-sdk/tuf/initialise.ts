/**
 * Bootstrapping trust (TUF 5.2): the first root comes out of band (provisioning, a file
 * shipped with the software). It is checked for a threshold of its own root keys and
 * stored; nothing is fetched.
 *
 * @example
 * await initialiseTrustedRoot(new FsMetadataStore('/var/steward/tuf'), await readFile('root.json'));
 */
import type { MetadataStore } from '../store/metadata-store.js';
import { defaultUpdaterConfig } from './config.js';
import { uncachedSignatureCheck } from './signature-check.js';
import { verifyTrustedRoot } from './verify-root.js';

/** Store `rootBytes` as the trusted root; returns its version. */
export async function initialiseTrustedRoot(store: MetadataStore, rootBytes: Uint8Array): Promise<number> {
  const root = verifyTrustedRoot(rootBytes, uncachedSignatureCheck({ maxBytes: defaultUpdaterConfig.rootMaxLength, maxDepth: defaultUpdaterConfig.maxJsonDepth }));
  await store.write('root', rootBytes);
  return root.signed.version;
}
