/**
 * A cross-checked director image as the update machine takes it (`UpdateDescriptor`), and as
 * the agent remembers it (`Offer`). The download URL is the image repository's target URL:
 * with consistent snapshots `DIR/SHA256.NAME` (TUF 5.7.2), each segment percent-encoded.
 */
import type { DirectorImage } from '../../manifests/index.js';
import type { UpdateDescriptor } from '../update/index.js';
import type { Offer } from './protocol-event.js';

export function descriptorFor(image: DirectorImage, targetBaseUrl: string, consistentNames: boolean): UpdateDescriptor {
  const { sha256, sha512 } = image.file.hashes;
  return {
    targetName: image.file.path,
    url: targetUrl(targetBaseUrl, image.file.path, consistentNames ? (sha256 ?? sha512) : undefined),
    length: image.file.length,
    hashes: { ...(sha256 === undefined ? {} : { sha256 }), ...(sha512 === undefined ? {} : { sha512 }) },
    version: image.version,
    component: image.component,
  };
}

export function offerFor(image: DirectorImage): Offer {
  return { targetPath: image.file.path, version: image.version, sha256: image.file.hashes.sha256 ?? image.file.hashes.sha512 ?? '', rolloutId: image.rolloutId };
}

/** Whether `offer` is the update `image` names (same target, same content). */
export function sameOffer(offer: Offer | undefined, image: DirectorImage): boolean {
  return offer !== undefined && offer.targetPath === image.file.path && offer.sha256 === offerFor(image).sha256;
}

function targetUrl(base: string, path: string, hash: string | undefined): string {
  const segments = path.split('/');
  const name = segments.pop() ?? '';
  const file = hash === undefined ? name : `${hash}.${name}`;
  const relative = [...segments, file].map((segment) => encodeURIComponent(segment)).join('/');
  return `${base.replace(/\/+$/, '')}/${relative}`;
}
