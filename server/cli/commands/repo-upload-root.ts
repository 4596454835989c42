/** `steward repo upload-root`: submits a signed root to the server (operator token). */
import type { Command } from '../command.js';
import { readMetadataFile } from '../metadata-file.js';
import { usageError } from '../cli-error.js';
import { apiClientFor, describePublication, serverOptions } from './shared-options.js';

export const repoUploadRoot: Command = {
  words: ['repo', 'upload-root'],
  summary: 'Upload a signed root.json (operator)',
  arguments: [{ name: 'FILE', description: 'the root.json signed by its key holders' }],
  options: { ...serverOptions },
  details: 'The server checks the signatures (the first root against its own threshold, later ones against the current root too).',
  async run({ args, io }) {
    const file = args.argument(0, 'FILE');
    const metadata = await readMetadataFile(file);
    if (metadata.signed.type !== 'root') throw usageError(`${file} is ${metadata.signed.type} metadata, not a root`);
    const result = await apiClientFor(args, io).request<{ rootVersion?: number; snapshotVersion?: number; timestampVersion?: number }>('PUT', '/v1/repository/root', {
      json: metadata.toJSON(),
    });
    io.stdout.write(`root version ${metadata.signed.version} published; ${describePublication(result)}\n`);
  },
};
