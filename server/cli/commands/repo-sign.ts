/**
 * `steward repo sign`: adds signatures to a metadata file in place, on the key holder's
 * machine (TUF 4.2: each signature covers the canonical JSON of `signed`). The role comes
 * from `_type`. A signature by the same key replaces the earlier one.
 */
import { countSignatures, type Metadata } from '../../../manifests/index.js';
import type { Command } from '../command.js';
import { replaceFile } from '../files.js';
import { readSigners } from '../key-files.js';
import { metadataText, readMetadataFile } from '../metadata-file.js';

export const repoSign: Command = {
  words: ['repo', 'sign'],
  summary: 'Sign a metadata file in place with one or more private keys',
  arguments: [{ name: 'FILE', description: 'a TUF metadata file (root.json, targets.json, a vendor role)' }],
  options: {
    key: { kind: 'strings', value: 'PRIVATE.pem', description: 'private key to sign with', required: true },
  },
  async run({ args, io }) {
    const file = args.argument(0, 'FILE');
    const metadata = await readMetadataFile(file);
    const signers = await readSigners(args.strings('key'));
    const signed = await metadata.signAll(signers);
    await replaceFile(file, metadataText(signed));
    for (const signer of signers) io.stdout.write(`signed ${metadata.signed.type} version ${metadata.signed.version} with ${signer.publicKey.keyId()}\n`);
    io.stdout.write(`${rootStatus(signed) ?? `${signed.signatures.length} signature(s)`}\n`);
  },
};

/** For a root: how far its own root threshold is met (a rotation also needs the previous root's). */
function rootStatus(metadata: Metadata): string | undefined {
  if (metadata.signed.type !== 'root') return undefined;
  const result = countSignatures(metadata, metadata.signed.authority('root'));
  return `root signatures by its own root keys: ${result.validKeyIds.length} of ${result.threshold} required${result.met ? ' (met)' : ''}`;
}
