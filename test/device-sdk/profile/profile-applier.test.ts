import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableFs } from '../../../device-sdk/durable/durable-fs.js';
import type { TimerScheduler } from '../../../device-sdk/fetch/http-fetcher.js';
import { ProfileApplier, type ProfileEvent } from '../../../device-sdk/profile/index.js';
import { CheckingHost, profileBytes } from './fixtures/profiles.js';

const v1 = profileBytes(1);
const v2 = profileBytes(2);

function setup(t: Test, options: { fs?: DurableFs; schedule?: TimerScheduler } = {}) {
  const directory = t.testdir({});
  const host = new CheckingHost();
  const events: ProfileEvent[] = [];
  const make = () => new ProfileApplier(host, { directory, now: () => new Date('2026-03-02T12:00:00Z'), ...options }, (e) => events.push(e));
  return { directory, host, events, applier: make(), make };
}

t.test('the first profile is validated, written and checked', async (t) => {
  const { directory, host, applier } = setup(t);
  t.match(await applier.apply(v1), { type: 'applied', version: 1, previousVersion: undefined, at: '2026-03-02T12:00:00.000Z' });
  t.equal(await applier.appliedVersion(), 1);
  t.same(host.checked, [1]);
  t.same(new Uint8Array(await readFile(join(directory, 'profile.json'))), v1);
  t.notOk(existsSync(join(directory, 'profile.apply.json')), 'no apply left under way');
});

t.test('a newer profile replaces the current one, which is kept as previous', async (t) => {
  const { directory, applier } = setup(t);
  await applier.apply(v1);
  t.match(await applier.apply(v2), { type: 'applied', version: 2, previousVersion: 1 });
  t.equal(await applier.appliedVersion(), 2);
  t.same(new Uint8Array(await readFile(join(directory, 'profile.previous.json'))), v1);
});

t.test('when the check fails, the previous profile is put back', async (t) => {
  const { directory, host, applier } = setup(t);
  await applier.apply(v1);
  host.answer = 'fail';
  t.match(await applier.apply(v2), { type: 'rolled-back', version: 2, restoredVersion: 1, reason: 'STW_DEVICE_PROFILE_CHECK_FAILED' });
  t.equal(await applier.appliedVersion(), 1);
  t.same(new Uint8Array(await readFile(join(directory, 'profile.json'))), v1);
  t.notOk(existsSync(join(directory, 'profile.apply.json')));
});

t.test('when the check of the very first profile fails, the terminal is left without one', async (t) => {
  const { host, applier } = setup(t);
  host.answer = 'fail';
  t.match(await applier.apply(v1), { type: 'rolled-back', version: 1, restoredVersion: undefined });
  t.equal(await applier.appliedVersion(), undefined);
});

t.test('when the check does not answer in time, the timeout rolls back', async (t) => {
  const timers: (() => void)[] = [];
  const { host, applier } = setup(t, { schedule: (_ms, fire) => (timers.push(fire), () => {}) });
  await applier.apply(v1);
  host.answer = 'hang';
  const pending = applier.apply(v2);
  while (host.checked.length < 2) await new Promise((resolve) => setImmediate(resolve));
  for (const fire of timers.splice(0)) fire();
  t.match(await pending, { type: 'rolled-back', details: { timedOut: true } });
  t.equal(await applier.appliedVersion(), 1);
});

t.test('when the bytes are not JSON or break the schema, the profile is rejected and nothing is written', async (t) => {
  const { directory, applier } = setup(t);
  t.match(await applier.apply(Buffer.from('{not json')), { type: 'rejected', code: 'STW_DEVICE_PROFILE_INVALID', details: { manifestCode: 'STW_MANIFEST_MALFORMED_JSON' } });
  t.match(await applier.apply(profileBytes(3, { currency: 'euro' })), { type: 'rejected', code: 'STW_DEVICE_PROFILE_INVALID', details: { manifestCode: 'STW_MANIFEST_INVALID' } });
  t.notOk(existsSync(join(directory, 'profile.json')));
});

t.test('when the version is not above the one in force, the profile is refused', async (t) => {
  const { applier } = setup(t);
  await applier.apply(v2);
  t.match(await applier.apply(v1), { type: 'rejected', version: 1, code: 'STW_DEVICE_DOWNGRADE', details: { applied: 2 } });
  t.match(await applier.apply(profileBytes(2, { merchant_name: 'Other' })), { type: 'rejected', code: 'STW_DEVICE_DOWNGRADE' }, 'a version is never reused');
  t.match(await applier.apply(v2), { type: 'unchanged', version: 2 });
  t.equal(await applier.appliedVersion(), 2);
});

t.test('when the terminal is in a transaction, the apply is deferred', async (t) => {
  const { host, applier } = setup(t);
  await applier.apply(v1);
  host.busy = true;
  t.match(await applier.apply(v2), { type: 'deferred', version: 2, reason: 'host-busy' });
  t.equal(await applier.appliedVersion(), 1);
});

t.test('an injected validator decides what is valid', async (t) => {
  const directory = t.testdir({});
  const validator = (bytes: Uint8Array) => ({ version: Number(Buffer.from(bytes).toString('utf8')) });
  const applier = new ProfileApplier(new CheckingHost(), { directory, validator });
  t.match(await applier.apply(Buffer.from('7')), { type: 'applied', version: 7 });
  t.match(await applier.apply(Buffer.from('zero')), { type: 'rejected', code: 'STW_DEVICE_PROFILE_INVALID' });
});

/** A DurableFs that fails (like a power cut would stop the process) before the first step matching `at`. */
function cutAt(at: (kind: string, path: string) => boolean) {
  let armed = true;
  return new DurableFs({
    onStep: (step) => {
      if (armed && at(step.kind, step.path)) {
        armed = false;
        throw new Error('power cut');
      }
    },
  });
}

t.test('when an apply was cut before the new profile was in place, resume reports it interrupted', async (t) => {
  const directory = t.testdir({});
  const host = new CheckingHost();
  await new ProfileApplier(host, { directory }).apply(v1);
  const fs = cutAt((kind, path) => kind === 'rename' && path.endsWith('profile.json'));
  await t.rejects(new ProfileApplier(host, { directory, fs }).apply(v2));
  const restarted = new ProfileApplier(host, { directory });
  t.match(await restarted.resume(), { type: 'interrupted', version: 2, restoredVersion: 1 });
  t.equal(await restarted.appliedVersion(), 1);
  t.equal(await restarted.resume(), undefined, 'nothing left to resume');
});

t.test('when an apply was cut after the new profile was in place, resume runs the check again', async (t) => {
  const directory = t.testdir({});
  const host = new CheckingHost();
  await new ProfileApplier(host, { directory }).apply(v1);
  const fs = cutAt((kind, path) => kind === 'unlink' && path.endsWith('profile.apply.json'));
  await t.rejects(new ProfileApplier(host, { directory, fs }).apply(v2));
  host.answer = 'fail';
  const restarted = new ProfileApplier(host, { directory });
  t.match(await restarted.resume(), { type: 'rolled-back', version: 2, restoredVersion: 1 });
  t.same(host.checked, [1, 2, 2]);
  t.equal(await restarted.appliedVersion(), 1);
});
