// The per-device progress state machine and the counter deltas it implies.
import t from 'tap';
import { applyInput, contribution, counterDelta, SILENT_DEVICE_CODE, type Progress, type ProgressInput } from '../../../../server/fleet/rollouts/progress-transitions.js';
import { T0, at } from './rollout-fixtures.js';

const offered: Progress = { state: 'offered', attempts: 1, attempted: false, outcome: null, retryAt: null, lastCode: null };
const noRetry = { now: T0, retry: { maxAttempts: 1, backoffSeconds: 60 } };
const threeTries = { now: T0, retry: { maxAttempts: 3, backoffSeconds: 60 } };
const ev = (event: string, code: string | null = null): ProgressInput => ({ kind: 'event', event, code });

function run(start: Progress, inputs: ProgressInput[], context = noRetry): Progress {
  return inputs.reduce((progress, input) => applyInput(progress, input, context) ?? progress, start);
}

t.test('a successful install counts one attempt and one success', async (t) => {
  const done = run(offered, ['offered', 'download-started', 'downloaded', 'install-started', 'committed'].map((kind) => ev(kind)));
  t.equal(done.state, 'succeeded');
  t.same(counterDelta(offered, done), { attempted: 1, succeeded: 1, failed: 0, timedOut: 0 });
});

t.test('repeating an event or reporting a step after the outcome changes nothing', async (t) => {
  const done = run(offered, [ev('committed')]);
  t.equal(applyInput(done, ev('committed'), noRetry), undefined);
  t.equal(applyInput(done, ev('install-started'), noRetry), undefined);
  t.equal(applyInput(done, ev('rolled-back', 'X'), noRetry), undefined, 'a commit is final');
  t.equal(applyInput(offered, ev('profile-applied'), noRetry), undefined, 'profile events are not rollout events');
});

t.test('a rollback is a failure with its code, and no retry without attempts left', async (t) => {
  const failed = run(offered, [ev('download-started'), ev('rolled-back', 'STW_DEVICE_HEALTH_CHECK_FAILED')]);
  t.equal(failed.state, 'rolled-back');
  t.equal(failed.lastCode, 'STW_DEVICE_HEALTH_CHECK_FAILED');
  t.equal(failed.retryAt, null);
  t.same(contribution(failed), { attempted: 1, succeeded: 0, failed: 1, timedOut: 0 });
  t.equal(applyInput(failed, { kind: 'retry' }, { ...noRetry, now: at(10_000) }), undefined);
});

t.test('retries back off exponentially and a later success replaces the failure', async (t) => {
  const first = run(offered, [ev('rejected', 'STW_DEVICE_TARGET_MISMATCH')], threeTries);
  t.equal(first.state, 'failed');
  t.equal(first.retryAt, at(60).toISOString(), 'first back-off: 60 s');
  t.equal(applyInput(first, { kind: 'retry' }, { ...threeTries, now: at(59) }), undefined, 'not before the back-off');
  const second = applyInput(first, { kind: 'retry' }, { ...threeTries, now: at(60) })!;
  t.match(second, { state: 'offered', attempts: 2 });
  const secondFail = applyInput(second, ev('rolled-back', 'X'), { ...threeTries, now: at(100) })!;
  t.equal(secondFail.retryAt, at(100 + 120).toISOString(), 'second back-off doubles');
  t.same(counterDelta(first, secondFail), { attempted: 0, succeeded: 0, failed: 0, timedOut: 0 }, 'failing again counts nothing new');
  const third = applyInput(secondFail, { kind: 'retry' }, { ...threeTries, now: at(220) })!;
  const success = applyInput(third, ev('committed'), threeTries)!;
  t.same(counterDelta(first, success), { attempted: 0, succeeded: 1, failed: -1, timedOut: 0 });
  const lastFail = applyInput(third, ev('rolled-back', 'X'), threeTries)!;
  t.equal(lastFail.retryAt, null, 'the third attempt was the last');
});

t.test('a silent device times out as a failure; news afterwards settles it', async (t) => {
  const downloading = run(offered, [ev('download-started')]);
  const silent = applyInput(downloading, { kind: 'timeout' }, noRetry)!;
  t.match(silent, { state: 'failed', outcome: 'timed-out', lastCode: SILENT_DEVICE_CODE });
  t.same(counterDelta(downloading, silent), { attempted: 0, succeeded: 0, failed: 1, timedOut: 1 });
  t.same(counterDelta(offered, applyInput(offered, { kind: 'timeout' }, noRetry)!), { attempted: 1, succeeded: 0, failed: 1, timedOut: 1 }, 'never started: counted attempted too');
  const late = applyInput(silent, ev('committed'), noRetry)!;
  t.same(counterDelta(silent, late), { attempted: 0, succeeded: 1, failed: -1, timedOut: -1 }, 'a late commit is a success');
  t.equal(applyInput(silent, { kind: 'timeout' }, noRetry), undefined, 'times out once');
});

t.test('cancel: an unfinished offer is acknowledged; a finished one is not', async (t) => {
  const cancelled: Progress = { ...offered, state: 'cancelled' };
  t.equal(applyInput(cancelled, ev('cancel-acknowledged'), noRetry)?.state, 'cancel-acknowledged');
  t.equal(applyInput(cancelled, ev('committed'), noRetry)?.state, 'succeeded', 'installed before it heard of the cancel');
  const done = run(offered, [ev('committed')]);
  t.equal(applyInput(done, ev('cancel-acknowledged'), noRetry), undefined);
});
