/**
 * A power cut while the agent applies a profile, at every disk step of the apply (and before
 * the first: between the fetch and the apply). In-process: the applier's DurableFs throws at
 * the chosen step and at every later one (the terminal is dead from then on), then a new
 * agent and applier start on the same files. The crash harness (SIGKILL at each step,
 * test/device-sdk/crash/profile-power-cut.test.ts) shows the applier's files stay whole; this
 * shows the agent finishes the job after the restart and reports it exactly once.
 */
import { basename, join } from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import t, { type Test } from 'tap';
import { DurableFs } from '../../../device-sdk/durable/durable-fs.js';
import { profileBytes } from '../profile/fixtures/profiles.js';
import { World } from './fixtures/agent-world.js';
import { lastReportedProfileVersion, profileEvents, ProfileServer, ProfileTerminal } from './fixtures/profile-world.js';

const TEN_MINUTES = 600_000;

interface PowerCut {
  readonly fs: DurableFs;
  readonly steps: string[];
  readonly happened: () => boolean;
}

/** Count the disk steps; from step `cutAt` (1-based; 0 = never) on, every step fails as on a dead terminal. */
function powerCut(cutAt: number): PowerCut {
  const steps: string[] = [];
  const fs = new DurableFs({
    onStep: (step) => {
      steps.push(`${step.kind} ${basename(step.path).replace(/\.[0-9a-f]{12}\.tmp$/, '.*.tmp')}`);
      if (cutAt > 0 && steps.length >= cutAt) throw new Error('power cut');
    },
  });
  return { fs, steps, happened: () => cutAt > 0 && steps.length >= cutAt };
}

/**
 * Version 1 applied normally, then the director names version 2 while the applier's disk is `cut`;
 * drives the agent until the cut fell (or, with no cut, until the apply is done).
 */
async function applyUnder(t: Test, world: World, answer: 'ok' | 'fail', cut: PowerCut) {
  const server = new ProfileServer(world);
  const terminal = await ProfileTerminal.create(t, world, server);
  await terminal.agent.cycle();
  const deviceId = await terminal.deviceId();
  await server.publish(deviceId, 1);
  await terminal.runFor(TEN_MINUTES);
  terminal.powerOn(cut.fs);
  terminal.profileHost.answer = answer;
  await server.publish(deviceId, 2);
  for (let ticks = 0; ticks < 200 && !cut.happened() && terminal.profileHost.checked.at(-1) !== 2; ticks++) {
    const result = await terminal.agent.tick();
    world.clock.advance(result.delayMs);
  }
  if (!cut.happened()) await terminal.runFor(TEN_MINUTES);
  return { server, terminal, deviceId };
}

for (const [answer, inForce, event, code] of [
  ['ok', 2, 'profile-applied', null],
  ['fail', 1, 'profile-rolled-back', 'STW_DEVICE_PROFILE_CHECK_FAILED'],
] as const) {
  t.test(`a power cut at any step of a profile apply whose host check answers ${answer}: after the restart version ${inForce} is in force and ${event} is reported once`, async (t) => {
    const world = await World.create(t);
    const uncut = powerCut(0);
    await applyUnder(t, world, answer, uncut);
    t.ok(uncut.steps.includes('rename profile.json'), 'the replace of profile.json is among the steps');
    t.comment(`${uncut.steps.length} disk steps: ${uncut.steps.join(', ')}`);

    for (let cutAt = 1; cutAt <= uncut.steps.length; cutAt++) {
      const where = cutAt === 1 ? 'between the fetch and the apply' : `before ${uncut.steps[cutAt - 1]} (step ${cutAt})`;
      await t.test(`cut ${where}`, async (t) => {
        const cut = powerCut(cutAt);
        const { terminal, deviceId } = await applyUnder(t, world, answer, cut);
        t.ok(cut.happened(), 'the power was cut');
        terminal.powerOn();
        await terminal.runFor(TEN_MINUTES);

        t.equal(await terminal.applier.appliedVersion(), inForce);
        t.ok((await readFile(join(terminal.profileDirectory, 'profile.json'))).equals(profileBytes(inForce)), `profile.json is version ${inForce}, byte for byte`);
        await t.rejects(stat(join(terminal.profileDirectory, 'profile.apply.json')), { code: 'ENOENT' }, 'no apply under way');
        const about2 = profileEvents(world, deviceId).filter((reported) => reported.version === '2');
        t.match(about2, [{ kind: event, code }], `${event} reported`);
        t.equal(about2.length, 1, 'once');
        t.equal(lastReportedProfileVersion(world, deviceId), inForce, 'and the check-in reports the version in force');
      });
    }
  });
}
