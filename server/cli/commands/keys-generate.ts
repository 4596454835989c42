/**
 * `steward keys generate`: a new offline key pair for a ceremony role (root, targets, a
 * vendor). Run on the key holder's machine; the private key never leaves it.
 */
import { generateKeyPair } from '../../../manifests/index.js';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { writeKeyPair } from '../key-files.js';

export const keysGenerate: Command = {
  words: ['keys', 'generate'],
  summary: 'Generate a signing key: FILE (private, PKCS#8 PEM, 0600) and FILE.pub.json (TUF JSON)',
  options: {
    type: { kind: 'string', value: 'TYPE', description: 'ed25519 (default) or rsa (3072-bit, RSASSA-PSS SHA-256)' },
    out: { kind: 'string', value: 'FILE', description: 'private key file to create (never overwritten)', required: true },
  },
  details: 'Prints the key id on stdout.',
  async run({ args, io }) {
    const type = args.optionalString('type') ?? 'ed25519';
    if (type !== 'ed25519' && type !== 'rsa') throw usageError(`--type must be ed25519 or rsa, not ${JSON.stringify(type)}`);
    const pair = generateKeyPair(type);
    const { privatePath, publicPath } = await writeKeyPair(args.string('out'), pair);
    io.stdout.write(`${pair.publicKey.keyId()}\n`);
    io.stderr.write(`wrote ${privatePath} (private: keep it offline) and ${publicPath} (public)\n`);
  },
};
