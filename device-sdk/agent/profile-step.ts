/**
 * The profile step of the agent's `applying` phase: bring the merchant parameter profile in
 * force to the version the accepted director document names (DESIGN "Trust model" 3:
 * profiles are director-signed documents, schema-checked on the terminal).
 *
 * ```
 *   named version = applied version  ──► nothing (never fetched again)
 *   named version < applied version  ──► refused STW_DEVICE_DOWNGRADE, nothing fetched
 *   otherwise: signed fetch, length and hashes checked against the director's target
 *              (profile-fetch.ts) ──► the document's version, merchant and terminal ids
 *              against the target ──► ProfileApplier.apply (schema, atomic replace,
 *              host check, rollback)
 * ```
 *
 * The step says what happened (`ProfileStepResult`); the agent turns it into events and
 * remembers refusals (once per director version) and failures (held off like images).
 * Retryable transport failures are thrown, for the agent's back-off.
 *
 * @example
 * const step = new ProfileStep(applier);
 * const result = await step.run(director.profile, (target) => fetchProfile(transport, signer, url, target), () => persistApplyUnderWay());
 */
import { ProfileDocument, type DirectorProfile, type TargetFile } from '../../manifests/index.js';
import { isRetryable } from '../download/index.js';
import { DeviceError, type DeviceErrorCode } from '../errors.js';
import type { ProfileApplier, ProfileEvent } from '../profile/index.js';

export type ProfileStepResult =
  /** Up to date, or the applied bytes were already these. */
  | { readonly kind: 'nothing' }
  | { readonly kind: 'applied'; readonly version: number }
  /** The host is busy: try again soon. */
  | { readonly kind: 'deferred'; readonly version: number }
  /** Applied and rolled back by the host check, or not served: try again after a hold-off. */
  | { readonly kind: 'failed'; readonly version: number; readonly code: DeviceErrorCode }
  /** The bytes (or the named version) cannot be applied: not again for this director version. */
  | { readonly kind: 'refused'; readonly version: number; readonly code: DeviceErrorCode };

/** Codes that say the served bytes themselves are unusable (fetching them again would not help). */
const REFUSALS: readonly DeviceErrorCode[] = ['STW_DEVICE_TOO_LARGE', 'STW_DEVICE_TARGET_MISMATCH', 'STW_DEVICE_PROFILE_MISMATCH', 'STW_DEVICE_PROFILE_INVALID'];

/** contract with the server: `profiles/<merchantId>/<terminalId>/<version>.json`. */
const PROFILE_NAME = /^profiles\/([^/]+)\/([^/]+)\/([1-9]\d*)\.json$/;

export class ProfileStep {
  readonly #applier: ProfileApplier;
  /** The last bytes fetched and verified, kept while the host defers their apply (not across restarts). */
  #verified: { readonly target: TargetFile; readonly bytes: Uint8Array } | undefined;

  constructor(applier: ProfileApplier) {
    this.#applier = applier;
  }

  /** `beforeApply` runs once the bytes are verified, before the applier writes anything. */
  async run(profile: DirectorProfile, fetchBytes: (target: TargetFile) => Promise<Uint8Array>, beforeApply: () => Promise<void> = async () => {}): Promise<ProfileStepResult> {
    const version = profile.profileVersion;
    const applied = await this.#applier.appliedVersion();
    if (applied === version) return { kind: 'nothing' };
    if (applied !== undefined && version < applied) return { kind: 'refused', version, code: 'STW_DEVICE_DOWNGRADE' };
    let bytes: Uint8Array;
    try {
      bytes = this.#verified !== undefined && sameTarget(this.#verified.target, profile.file) ? this.#verified.bytes : await fetchBytes(profile.file);
      checkAgainstTarget(bytes, profile);
    } catch (error) {
      if (!(error instanceof DeviceError) || isRetryable(error)) throw error;
      // Bytes that do not match the target are refused; a server that would not serve them (4xx) is asked again later.
      return { kind: REFUSALS.includes(error.code) ? 'refused' : 'failed', version, code: error.code };
    }
    await beforeApply();
    const result = profileResult(await this.#applier.apply(bytes));
    this.#verified = result.kind === 'deferred' ? { target: profile.file, bytes } : undefined;
    return result;
  }
}

function sameTarget(a: TargetFile, b: TargetFile): boolean {
  return a.path === b.path && a.sameContentAs(b) && Object.keys(a.hashes).length === Object.keys(b.hashes).length;
}

/** What an applier outcome (of `apply()` or of `resume()` at start-up) means for the agent. */
export function profileResult(event: ProfileEvent): ProfileStepResult {
  switch (event.type) {
    case 'applied':
      return { kind: 'applied', version: event.version };
    case 'unchanged':
    case 'interrupted': // the previous profile stayed in force; the director's version is fetched again
      return { kind: 'nothing' };
    case 'deferred':
      return { kind: 'deferred', version: event.version };
    case 'rolled-back':
      return { kind: 'failed', version: event.version, code: event.reason };
    case 'rejected':
      return { kind: 'refused', version: event.version ?? 0, code: event.code };
    default: {
      const unknown: never = event;
      throw new DeviceError('STW_DEVICE_STATE_INVALID', `unknown profile event ${JSON.stringify(unknown)}`);
    }
  }
}

/** The verified bytes must be a profile of the version, merchant and terminal the director's target names. */
function checkAgainstTarget(bytes: Uint8Array, profile: DirectorProfile): void {
  let document: ProfileDocument;
  try {
    document = ProfileDocument.fromBytes(bytes);
  } catch (cause) {
    throw new DeviceError('STW_DEVICE_PROFILE_INVALID', `${profile.file.path} is not a valid profile`, { cause, details: { target: profile.file.path } });
  }
  const name = PROFILE_NAME.exec(profile.file.path);
  const named = name && { merchantId: name[1], terminalId: name[2], version: Number(name[3]) };
  const found = { merchantId: document.merchantId, terminalId: document.terminalId, version: document.version };
  if (named === null || named.version !== profile.profileVersion || found.version !== profile.profileVersion || found.merchantId !== named.merchantId || found.terminalId !== named.terminalId) {
    throw new DeviceError('STW_DEVICE_PROFILE_MISMATCH', `${profile.file.path} does not hold the profile the director names`, {
      details: { target: profile.file.path, profileVersion: profile.profileVersion, found },
    });
  }
}
