/**
 * Fetch the bytes of the parameter profile a director document names (protocol.md 5), with a
 * device-signed request (RFC 9421, the same `RequestSigner` and exchange as the check-in), and
 * verify them against the director's target before anything reads them: the body may not
 * grow past the target's length while it is read, and its length and every listed hash
 * (sha256, sha512) must match (TUF 5.7.3 applied to the director's target). Terminals verify
 * before they trust.
 *
 * @example
 * const url = endpointUrl(identity, profilePath(identity.deviceId, profile.profileVersion));
 * const bytes = await fetchProfile(transport, signer, url, profile.file); // verified bytes
 */
import type { TargetFile } from '../../manifests/index.js';
import { ArtifactHasher, checkExpected, type ArtifactHashes } from '../download/index.js';
import { DeviceError } from '../errors.js';
import { exchangeJson, type ApiTransport, type JsonRequest, type RequestSigner } from '../signing/index.js';

/**
 * How the profile is asked for: the one place to change it. A body-less GET verifies on the
 * server (protocol.md 2: the Content-Digest of an empty body is signed and checked); should the
 * route ever take POST instead, this becomes `{ method: 'POST', json: {} }`.
 */
export const PROFILE_REQUEST: Pick<JsonRequest, 'method' | 'json'> = { method: 'GET' };

/** protocol.md 5: `/v1/devices/<deviceId>/profiles/<version>`. */
export function profilePath(deviceId: string, version: number): string {
  return `/v1/devices/${encodeURIComponent(deviceId)}/profiles/${version}`;
}

/**
 * The profile bytes at `url`, exactly `target.length` long with `target`'s hashes.
 * Throws STW_DEVICE_TOO_LARGE (longer), STW_DEVICE_TARGET_MISMATCH (shorter, other hashes, no
 * usable hash), STW_DEVICE_HTTP_STATUS (any answer but 200) or the transport's fetch codes.
 */
export async function fetchProfile(transport: ApiTransport, signer: RequestSigner, url: string, target: TargetFile): Promise<Uint8Array> {
  const expected = { length: target.length, hashes: usableHashes(target) };
  const algorithms = checkExpected(expected);
  const response = await exchangeJson(transport, { ...PROFILE_REQUEST, url, signer, accept: [200], maxResponseBytes: target.length });
  const body = response.body;
  // Checked again here: a transport may not honour maxResponseBytes.
  if (body.byteLength > target.length) {
    throw new DeviceError('STW_DEVICE_TOO_LARGE', `the profile ${target.path} exceeds its ${target.length} bytes`, { details: { target: target.path, maxLength: target.length } });
  }
  if (body.byteLength < target.length) {
    throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `the profile ${target.path} is ${body.byteLength} bytes, expected ${target.length}`, {
      details: { reason: 'length', target: target.path, length: body.byteLength, expected: target.length },
    });
  }
  const hasher = new ArtifactHasher(algorithms);
  hasher.update(body);
  const mismatches = hasher.mismatches(expected.hashes);
  if (mismatches.length > 0) {
    throw new DeviceError('STW_DEVICE_TARGET_MISMATCH', `the profile ${target.path} does not match the director's hashes`, {
      details: { reason: 'hash', target: target.path, algorithms: mismatches.map((mismatch) => mismatch.algorithm) },
    });
  }
  return new Uint8Array(body);
}

function usableHashes(target: TargetFile): ArtifactHashes {
  const { sha256, sha512 } = target.hashes;
  return { ...(sha256 === undefined ? {} : { sha256 }), ...(sha512 === undefined ? {} : { sha512 }) };
}
