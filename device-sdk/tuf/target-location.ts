/**
 * Where a target is fetched from and where it lands. With consistent snapshots the file is
 * `DIR/HASH.NAME`, HASH being one of its listed digests (TUF 5.7.2; the first listed, as other
 * clients do); each path segment is percent-encoded for the URL. On disk the whole target
 * path becomes one encoded file name, so no target can write outside the target directory.
 */
import { join } from 'node:path';
import type { TargetFile } from '../../manifests/index.js';
import type { ExpectedArtifact } from '../download/index.js';
import { DeviceError } from '../errors.js';
import { encodeRoleName } from './role-name.js';

/** The target's path relative to a targets base URL. */
export function targetUrlPath(target: TargetFile, prefixWithHash: boolean): string {
  const segments = target.path.split('/');
  const name = segments.pop() ?? '';
  const hash = Object.values(target.hashes)[0];
  const file = prefixWithHash && hash !== undefined ? `${hash}.${name}` : name;
  return [...segments, file].map((segment) => encodeURIComponent(segment)).join('/');
}

/** The default local path of a target inside `targetDir`. */
export function targetFilePath(targetDir: string, target: TargetFile): string {
  if (target.path === '') throw new DeviceError('STW_DEVICE_TARGET_NOT_FOUND', 'a target needs a non-empty path', { details: { target: '' } });
  return join(targetDir, encodeRoleName(target.path));
}

/** TUF 5.7.3: what the downloaded bytes must be, in the downloader's terms. */
export function expectedArtifact(target: TargetFile): ExpectedArtifact {
  const { sha256, sha512 } = target.hashes;
  return {
    length: target.length,
    hashes: { ...(sha256 === undefined ? {} : { sha256 }), ...(sha512 === undefined ? {} : { sha512 }) },
  };
}
