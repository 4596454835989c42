/**
 * Power cut at every disk step of an A/B update whose health check fails, so that the cuts
 * also fall inside the rollback (clearing the trial, rebooting, reporting): after each SIGKILL
 * the terminal must boot an intact image and end rolled back to the old one.
 */
import t from 'tap';
import { enumerateCrashPoints, prepareChild } from './fixtures/crash-points.js';
import { powerOnAndFinish, provision, summarise } from './fixtures/install-scenario.js';

// One child process per crash point: allow for a loaded machine.
t.setTimeout(600_000);

t.test('a power cut at any step of an install that fails its health check leaves a bootable terminal back on the old image', async (t) => {
  const child = await prepareChild('test/device-sdk/crash/fixtures/install-child.ts');
  t.teardown(child.cleanup);
  const run = await enumerateCrashPoints({
    script: child.script,
    args: ['unhealthy'],
    provision,
    check: (point) => powerOnAndFinish(point, 'unhealthy', '1.0.0'),
  });
  t.equal(run.result.outcome, 'rolled-back', 'an uncut run ends rolled-back');
  t.ok(run.steps.includes('rename boot-control.json') && run.steps.includes('write slot-b.img'), 'slot writes and record renames are among the cuts');
  t.same(run.notKilled, [], 'every cut killed the child');
  t.same(run.problems, [], 'no cut left the terminal unbootable, mixed or stuck');
  t.comment(`${run.steps.length} crash points exercised (${summarise(run.steps)})`);
});
