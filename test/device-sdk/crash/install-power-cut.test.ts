/**
 * Power cut at every disk step of an A/B update (issue "Must show"): after each SIGKILL the
 * terminal powers on, the bootloader must boot an intact image (the old or the new, never a
 * mixed or damaged one), and the resumed update must end committed like an uncut run.
 */
import t from 'tap';
import { enumerateCrashPoints, prepareChild } from './fixtures/crash-points.js';
import { powerOnAndFinish, provision, summarise } from './fixtures/install-scenario.js';

// One child process per crash point: allow for a loaded machine.
t.setTimeout(600_000);

t.test('a power cut at any step of an install leaves a bootable, verified terminal that then commits', async (t) => {
  const child = await prepareChild('test/device-sdk/crash/fixtures/install-child.ts');
  t.teardown(child.cleanup);
  const run = await enumerateCrashPoints({
    script: child.script,
    args: ['healthy'],
    provision,
    check: (point) => powerOnAndFinish(point, 'healthy', '2.0.0'),
  });
  t.equal(run.result.outcome, 'committed', 'an uncut run ends committed');
  t.ok(run.steps.includes('rename boot-control.json') && run.steps.includes('write slot-b.img'), 'slot writes and record renames are among the cuts');
  t.same(run.notKilled, [], 'every cut killed the child');
  t.same(run.problems, [], 'no cut left the terminal unbootable, mixed or stuck');
  t.comment(`${run.steps.length} crash points exercised (${summarise(run.steps)})`);
});
