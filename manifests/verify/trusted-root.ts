/**
 * The first root a party trusts (provisioned at enrolment or shipped with the software):
 * it must be signed by a threshold of its own root keys (TUF 5.2).
 *
 * @example
 * const root = loadTrustedRoot(bytesFromProvisioning);
 */
import type { Metadata } from '../metadata/metadata.js';
import { Metadata as MetadataModel } from '../metadata/metadata.js';
import type { Root } from '../metadata/root.js';
import { verifyThreshold } from './threshold.js';

export function loadTrustedRoot(bytes: Uint8Array): Metadata<Root> {
  const metadata = MetadataModel.fromBytes('root', bytes);
  verifyThreshold(metadata, metadata.signed.authority('root'), 'root');
  return metadata;
}
