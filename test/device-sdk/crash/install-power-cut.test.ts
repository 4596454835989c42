/**
 * Power cut at every disk step of an A/B update (issue "Must show"): after each SIGKILL the
 * terminal powers on, the bootloader must boot an intact image (the old or the new, never a
 * mixed or damaged one), and the resumed update must end where an uncut run ends.
 */
import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileSlotInstaller, sha256OfFile } from '../../../device-sdk/install/index.js';
import { MemoryFetcher } from '../update/fixtures/memory-fetcher.js';
import { SimulatedTerminal, describe } from '../update/fixtures/simulated-terminal.js';
import { enumerateCrashPoints, prepareChild, type CrashPoint } from './fixtures/crash-points.js';

const factory = randomBytes(12 * 1024);
const image = randomBytes(20 * 1024);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const known = new Map([
  [sha(factory), '1.0.0'],
  [sha(image), '2.0.0'],
]);

async function provision(dir: string): Promise<void> {
  await FileSlotInstaller.provision(join(dir, 'slots'), factory, '1.0.0');
  await writeFile(join(dir, 'new.img'), image);
}

/** Power on after the cut, check what boots, then let the agent finish (re-offering the update, as the director would). */
async function powerOnAndFinish(point: CrashPoint, health: 'healthy' | 'unhealthy', expectedVersion: string): Promise<string[]> {
  const problems: string[] = [];
  const bytes = new Uint8Array(await readFile(join(point.dir, 'new.img')));
  const device = new SimulatedTerminal(point.dir, { fetcher: new MemoryFetcher({ 'mem://fw.img': bytes }) });
  device.host.health = health;
  const boot = await device.installer.boot().catch((error: unknown) => error as Error);
  if (boot instanceof Error) return [`nothing boots: ${boot.message}`];
  const onDisk = await sha256OfFile(device.installer.slotPath(boot.slot));
  const recorded = (await device.installer.bootState()).slots[boot.slot];
  if (onDisk.sha256 !== recorded?.sha256) problems.push(`booted slot ${boot.slot} does not hash to its record`);
  if (!known.has(onDisk.sha256)) problems.push(`booted slot ${boot.slot} holds a mixed image`);

  let run = await device.machine.resume();
  if (run.state.kind === 'idle' && (await device.machine.installedVersion()) !== expectedVersion) run = await device.machine.begin(describe(bytes, '2.0.0'));
  run = await device.runToRest(run);
  if (run.stoppedBecause !== 'report-outcome' && run.stoppedBecause !== 'nothing-to-do') problems.push(`stopped because ${run.stoppedBecause}`);
  const state = await device.installer.bootState();
  const active = await sha256OfFile(device.installer.slotPath(state.active));
  if (known.get(active.sha256) !== expectedVersion || (await device.machine.installedVersion()) !== expectedVersion) {
    problems.push(`ended on ${known.get(active.sha256) ?? 'an unknown image'}, expected ${expectedVersion}`);
  }
  return problems;
}

t.test('a power cut at any step of an install leaves a bootable, verified terminal', async (t) => {
  const child = await prepareChild('test/device-sdk/crash/fixtures/install-child.ts');
  t.teardown(child.cleanup);
  for (const [health, expectedVersion, outcome] of [
    ['healthy', '2.0.0', 'committed'],
    ['unhealthy', '1.0.0', 'rolled-back'],
  ] as const) {
    const run = await enumerateCrashPoints({
      script: child.script,
      args: [health],
      provision,
      check: (point) => powerOnAndFinish(point, health, expectedVersion),
    });
    t.equal(run.result.outcome, outcome, `an uncut ${health} run ends ${outcome}`);
    t.ok(run.steps.some((s) => s.startsWith('rename boot-control.json')) && run.steps.some((s) => s.startsWith('write slot-b.img')), 'slot writes and record renames are among the cuts');
    t.same(run.notKilled, [], 'every cut killed the child');
    t.same(run.problems, [], 'no cut left the terminal unbootable, mixed or stuck');
    t.comment(`${health} health check: ${run.steps.length} crash points exercised (${summarise(run.steps)})`);
  }
});

function summarise(steps: readonly string[]): string {
  const byKind = new Map<string, number>();
  for (const step of steps) {
    const kind = step.split(' ')[0] ?? '?';
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  return [...byKind].map(([kind, count]) => `${count} ${kind}`).join(', ');
}
