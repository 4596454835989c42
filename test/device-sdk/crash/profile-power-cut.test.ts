/**
 * Power cut at every disk step of a profile apply (issue "Must show"): after each SIGKILL the
 * terminal must hold a whole profile, the old or the new, byte for byte; after start-up
 * resume and the agent's next apply it must end where an uncut run ends.
 */
import t from 'tap';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProfileApplier } from '../../../device-sdk/profile/index.js';
import { CheckingHost, profileBytes } from '../profile/fixtures/profiles.js';
import { enumerateCrashPoints, prepareChild, type CrashPoint } from './fixtures/crash-points.js';

// One child process per crash point: allow for a loaded machine.
t.setTimeout(600_000);

const v1 = Buffer.from(profileBytes(1));
const v2 = Buffer.from(profileBytes(2));

async function provision(dir: string): Promise<void> {
  await new ProfileApplier(new CheckingHost(), { directory: join(dir, 'profile') }).apply(v1);
}

async function wholeProfile(dir: string): Promise<string | undefined> {
  const bytes = await readFile(join(dir, 'profile', 'profile.json')).catch(() => undefined);
  if (bytes?.equals(v1)) return undefined;
  if (bytes?.equals(v2)) return undefined;
  return bytes === undefined ? 'no profile.json' : `profile.json is neither v1 nor v2 (${bytes.byteLength} bytes)`;
}

async function powerOnAndFinish(point: CrashPoint, answer: 'ok' | 'fail', expectedVersion: number): Promise<string[]> {
  const problems: string[] = [];
  const afterCut = await wholeProfile(point.dir);
  if (afterCut !== undefined) problems.push(`after the cut: ${afterCut}`);
  const host = new CheckingHost();
  host.answer = answer;
  const applier = new ProfileApplier(host, { directory: join(point.dir, 'profile') });
  await applier.resume();
  const afterResume = await wholeProfile(point.dir);
  if (afterResume !== undefined) problems.push(`after resume: ${afterResume}`);
  await applier.apply(v2); // the director still names version 2
  const version = await applier.appliedVersion();
  if (version !== expectedVersion) problems.push(`ended on version ${String(version)}, expected ${expectedVersion}`);
  const final = await readFile(join(point.dir, 'profile', 'profile.json')).catch(() => Buffer.alloc(0));
  if (!final.equals(expectedVersion === 2 ? v2 : v1)) problems.push('final profile.json is not the expected document');
  return problems;
}

t.test('a power cut at any step of a profile apply leaves a whole profile, old or new', async (t) => {
  const child = await prepareChild('test/device-sdk/crash/fixtures/profile-child.ts');
  t.teardown(child.cleanup);
  for (const [answer, expectedVersion, event] of [
    ['ok', 2, 'applied'],
    ['fail', 1, 'rolled-back'],
  ] as const) {
    const run = await enumerateCrashPoints({
      script: child.script,
      args: [answer],
      provision,
      check: (point) => powerOnAndFinish(point, answer, expectedVersion),
    });
    t.equal(run.result.event, event, `an uncut run with a check that answers ${answer} ends ${event}`);
    t.ok(run.steps.includes('rename profile.json'), 'the replace of profile.json is among the cuts');
    t.same(run.notKilled, [], 'every cut killed the child');
    t.same(run.problems, [], 'no cut left a torn, missing or wrong profile');
    t.comment(`check answers ${answer}: ${run.steps.length} crash points exercised`);
  }
});
