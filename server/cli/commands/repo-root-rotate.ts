/**
 * `steward repo root rotate`: the next root.json (version + 1) with some roles' keys or
 * thresholds changed, unsigned. TUF 5.3.4: clients accept it only when it is signed by a
 * threshold of the current root keys and by a threshold of its own root keys, so both the
 * old and the new root key holders sign it.
 */
import { Metadata, TOP_LEVEL_ROLES, type TopLevelRole } from '../../../manifests/index.js';
import { rotateRoot, type RoleKeySpec } from '../../repository/ceremony.js';
import { usageError } from '../cli-error.js';
import type { Command } from '../command.js';
import { readJsonFile, writeNewFile } from '../files.js';
import { metadataText, parseMetadata } from '../metadata-file.js';
import { describeRoot, roleKeysFrom, rootKeyOptions } from './root-key-options.js';
import { expiresFrom, expiresOption } from './shared-options.js';

export const repoRootRotate: Command = {
  words: ['repo', 'root', 'rotate'],
  summary: 'Write the next root.json (unsigned) replacing some keys or thresholds of the current one',
  options: {
    current: { kind: 'string', value: 'FILE', description: 'the current root.json (e.g. GET /v1/repository/metadata/root.json)', required: true },
    ...rootKeyOptions(false),
    ...expiresOption,
    out: { kind: 'string', value: 'FILE', description: 'file to create (never overwritten)', required: true },
  },
  details: 'Roles not named keep their keys. The result needs signatures from a threshold of the current AND of the new root keys.',
  async run({ args, io }) {
    const currentPath = args.string('current');
    const current = parseMetadata('root', await readJsonFile(currentPath), currentPath).signed;
    const changes: Partial<Record<TopLevelRole, RoleKeySpec>> = {};
    for (const role of TOP_LEVEL_ROLES) {
      const authority = current.authority(role);
      const spec = await roleKeysFrom(args, role, { keys: [...authority.keys.values()], threshold: authority.threshold });
      if (spec) changes[role] = spec;
    }
    if (Object.keys(changes).length === 0 && !args.has('expires-days')) throw usageError('nothing to change: give new keys, thresholds or --expires-days');
    const next = rotateRoot(current, changes, expiresFrom(args, io));
    const out = args.string('out');
    await writeNewFile(out, metadataText(Metadata.create(next)));
    io.stdout.write(
      [
        `wrote ${out}: root version ${next.version} (after ${current.version}), expires ${next.expires}, unsigned`,
        ...describeRoot(next),
        `sign it with ${current.authority('root').threshold} of the current root keys and ${next.authority('root').threshold} of the new ones`,
        '',
      ].join('\n'),
    );
  },
};
