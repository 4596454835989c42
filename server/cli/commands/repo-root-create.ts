/**
 * `steward repo root create`: the first root.json of the repository (TUF 4.3), unsigned.
 * The root key holders then sign it one by one (`steward repo sign`) on their own machines.
 */
import { Metadata } from '../../../manifests/index.js';
import { buildRoot } from '../../repository/ceremony.js';
import type { Command } from '../command.js';
import { writeNewFile } from '../files.js';
import { metadataText } from '../metadata-file.js';
import { describeRoot, roleKeysFrom, rootKeyOptions } from './root-key-options.js';
import { expiresFrom, expiresOption } from './shared-options.js';

export const repoRootCreate: Command = {
  words: ['repo', 'root', 'create'],
  summary: 'Write the first root.json (unsigned) from the ceremony public keys',
  options: {
    ...rootKeyOptions(true),
    ...expiresOption,
    out: { kind: 'string', value: 'FILE', description: 'file to create (never overwritten)', required: true },
  },
  details: 'Next: each root key holder runs `steward repo sign FILE --key ROOT.pem`; then `steward repo upload-root FILE`.',
  async run({ args, io }) {
    const [root, targets, snapshot, timestamp] = await Promise.all([
      roleKeysFrom(args, 'root'),
      roleKeysFrom(args, 'targets'),
      roleKeysFrom(args, 'snapshot'),
      roleKeysFrom(args, 'timestamp'),
    ]);
    // rootKeyOptions(true) made every key option required, so all four are present.
    if (!root || !targets || !snapshot || !timestamp) throw new Error('unreachable: required key options missing');
    const document = buildRoot({ root, targets, snapshot, timestamp, expires: expiresFrom(args, io) });
    const out = args.string('out');
    await writeNewFile(out, metadataText(Metadata.create(document)));
    io.stdout.write([`wrote ${out}: root version ${document.version}, expires ${document.expires}, unsigned`, ...describeRoot(document), ''].join('\n'));
  },
};
