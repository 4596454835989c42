/**
 * `downloading` and `verifying`: fetch the artifact early (whenever it is offered), then
 * re-check it on disk and wait for the install window and for the host to allow it.
 */
import { access } from 'node:fs/promises';
import { ArtifactHasher, checkExpected, hashFile, isRetryable, type HashAlgorithm } from '../download/index.js';
import { otherSlot } from '../install/index.js';
import type { DeviceState } from './device-state.js';
import { isWithinWindow } from './install-window.js';
import { artifactPath, asDeviceError, eventBase, removeArtifact, type StepContext, type Transition } from './step-context.js';

type Downloading = Extract<DeviceState, { kind: 'downloading' }>;
type Verifying = Extract<DeviceState, { kind: 'verifying' }>;

export async function handleDownloading(context: StepContext, state: Downloading): Promise<Transition> {
  const { update } = state;
  const runs = state.runs + 1;
  try {
    const result = await context.downloader.download({
      url: update.url,
      expected: { length: update.length, hashes: update.hashes },
      destination: artifactPath(context.config, update),
    });
    context.emit({ ...eventBase(context, update), type: 'downloaded', fetchedBytes: result.fetchedBytes, resumedFrom: result.resumedFrom });
    return { next: { kind: 'verifying', update, window: state.window, runs, sha256: undefined } };
  } catch (error) {
    const failure = asDeviceError(error);
    if (isRetryable(failure) && runs < context.config.maxDownloadRuns) {
      context.emit({ ...eventBase(context, update), type: 'download-interrupted', code: failure.code, runs });
      return { next: { ...state, runs }, stop: 'try-later' };
    }
    await removeArtifact(context, update);
    const outcome = { ...eventBase(context, update), type: 'rejected' as const, code: failure.code, details: failure.details };
    context.emit(outcome);
    return { next: { kind: 'failed', update, window: state.window, outcome } };
  }
}

export async function handleVerifying(context: StepContext, state: Verifying): Promise<Transition> {
  const { update } = state;
  if (state.sha256 === undefined) {
    const sha256 = await verifyOnDisk(context, state);
    if (sha256 === undefined) {
      // The artifact went missing or bad since it was downloaded: fetch it again.
      await removeArtifact(context, update);
      return { next: { kind: 'downloading', update, window: state.window, runs: state.runs } };
    }
    return { next: { ...state, sha256 } };
  }
  const now = context.config.now();
  if (state.window !== undefined && !isWithinWindow(state.window, now)) {
    context.emit({ ...eventBase(context, update), type: 'deferred', reason: 'outside-window' });
    return { stop: 'try-later' };
  }
  if (!(await context.host.canInstallNow())) {
    context.emit({ ...eventBase(context, update), type: 'deferred', reason: 'host-busy' });
    return { stop: 'try-later' };
  }
  const boot = await context.installer.bootState();
  const fromVersion = boot.slots[boot.active]?.version ?? 'unknown';
  return { next: { kind: 'installing', update, window: state.window, sha256: state.sha256, slot: otherSlot(boot.active), fromVersion } };
}

/** Hash the downloaded file once more (it may have waited hours for the window); returns its SHA-256 when it matches. */
async function verifyOnDisk(context: StepContext, state: Verifying): Promise<string | undefined> {
  const path = artifactPath(context.config, state.update);
  const expected = { length: state.update.length, hashes: state.update.hashes };
  const algorithms = new Set<HashAlgorithm>([...checkExpected(expected), 'sha256']);
  const present = await access(path).then(
    () => true,
    () => false,
  );
  if (!present) return undefined;
  const hasher = new ArtifactHasher([...algorithms]);
  const length = await hashFile(path, hasher);
  const digests = hasher.digests();
  const matches = checkExpected(expected).every((name) => digests[name] === expected.hashes[name]?.toLowerCase());
  return length === expected.length && matches ? digests.sha256 : undefined;
}
