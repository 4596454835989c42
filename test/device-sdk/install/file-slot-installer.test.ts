import t, { type Test } from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { FileSlotInstaller, type SlotWriteRequest } from '../../../device-sdk/install/index.js';
import { DurableFs } from '../../../device-sdk/durable/durable-fs.js';
import { DeviceError } from '../../../device-sdk/errors.js';

const factory = randomBytes(8192);
const update = randomBytes(12_000);

function request(bytes: Uint8Array, version = '2.0.0', sha256 = createHash('sha256').update(bytes).digest('hex')): SlotWriteRequest {
  async function* chunks() {
    for (let i = 0; i < bytes.byteLength; i += 4096) yield bytes.subarray(i, i + 4096);
  }
  return { image: chunks(), sha256, length: bytes.byteLength, version };
}

function codeOf(error: unknown): string | undefined {
  return error instanceof DeviceError ? error.code : undefined;
}

async function provisioned(t: Test) {
  return FileSlotInstaller.provision(t.testdir({}), factory, '1.0.0');
}

t.test('a provisioned device runs slot A with B empty', async (t) => {
  const installer = await provisioned(t);
  const state = await installer.bootState();
  t.match(state, { active: 'a', booted: 'a', trial: undefined, attemptsLeft: 0, slots: { a: { version: '1.0.0', length: 8192 }, b: undefined } });
  t.equal(await installer.inactiveSlot(), 'b');
  t.match(await installer.boot(), { slot: 'a', trial: false });
});

t.test('writing the inactive slot records the image but changes nothing about what boots', async (t) => {
  const installer = await provisioned(t);
  const image = await installer.writeInactive(request(update));
  t.equal(image.version, '2.0.0');
  t.same(await readFile(installer.slotPath('b')), update);
  t.same(await readFile(installer.slotPath('a')), factory, 'the active slot is never written');
  t.match(await installer.boot(), { slot: 'a', trial: false });
});

t.test('a slot marked for trial boots next, and marking it good makes it active', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(3);
  t.match(await installer.boot(), { slot: 'b', trial: true });
  t.match(await installer.bootState(), { active: 'a', booted: 'b', trial: 'b', attemptsLeft: 2 });
  await installer.markGood();
  t.match(await installer.bootState(), { active: 'b', booted: 'b', trial: undefined });
  await installer.markGood();
  t.match(await installer.boot(), { slot: 'b', trial: false }, 'marking good twice is harmless');
  t.equal(await installer.inactiveSlot(), 'a');
});

t.test('when the trial is rolled back, the next boot is the previous slot', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(3);
  await installer.boot();
  await installer.rollback();
  await installer.rollback();
  t.match(await installer.boot(), { slot: 'a', trial: false, fallback: undefined });
  t.match(await installer.bootState(), { active: 'a', booted: 'a', trial: undefined });
});

t.test('when the trial slot boots N times without mark-good, the bootloader returns to the previous slot', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(2);
  t.match(await installer.boot(), { slot: 'b', trial: true });
  t.match(await installer.boot(), { slot: 'b', trial: true });
  t.match(await installer.boot(), { slot: 'a', trial: false, fallback: { slot: 'b', reason: 'boot-limit' } });
  t.match(await installer.bootState(), { active: 'a', booted: 'a', trial: undefined, fallback: { reason: 'boot-limit' } });
  t.match(await installer.boot(), { slot: 'a' }, 'and stays there');
});

t.test('when the trial slot is damaged after writing, it is never booted', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(3);
  const damaged = Buffer.from(update);
  damaged[100] = (damaged[100] ?? 0) ^ 1;
  await writeFile(installer.slotPath('b'), damaged);
  t.match(await installer.boot(), { slot: 'a', trial: false, fallback: { slot: 'b', reason: 'slot-corrupt' } });
});

t.test('when the active slot is damaged, an intact other slot boots and becomes active', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(1);
  await installer.boot();
  await installer.markGood();
  await writeFile(installer.slotPath('b'), Buffer.from('garbage'));
  t.match(await installer.boot(), { slot: 'a', fallback: { slot: 'b', reason: 'slot-corrupt' } });
  t.equal((await installer.bootState()).active, 'a');
});

t.test('when no slot is intact, boot fails with SLOT_CORRUPT', async (t) => {
  const installer = await provisioned(t);
  await writeFile(installer.slotPath('a'), Buffer.from('garbage'));
  t.equal(codeOf(await installer.boot().catch((e: unknown) => e)), 'STW_DEVICE_SLOT_CORRUPT');
});

t.test('when the streamed image does not hash as expected, the slot stays unrecorded and cannot be tried', async (t) => {
  const installer = await provisioned(t);
  const error = await installer.writeInactive(request(update, '2.0.0', '0'.repeat(64))).catch((e: unknown) => e);
  t.equal(codeOf(error), 'STW_DEVICE_TARGET_MISMATCH');
  t.equal((await installer.bootState()).slots.b, undefined);
  t.equal(codeOf(await installer.markInactiveForTrial(3).catch((e: unknown) => e)), 'STW_DEVICE_STATE_INVALID');
});

t.test('when the image is longer than declared, writing stops with TOO_LARGE', async (t) => {
  const installer = await provisioned(t);
  const longer = { ...request(update), length: 5000 };
  t.equal(codeOf(await installer.writeInactive(longer).catch((e: unknown) => e)), 'STW_DEVICE_TOO_LARGE');
});

t.test('when a trial is pending, no slot can be written', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(3);
  t.equal(codeOf(await installer.writeInactive(request(update)).catch((e: unknown) => e)), 'STW_DEVICE_STATE_INVALID');
});

t.test('when mark-good is asked of a slot that was not booted, it is refused', async (t) => {
  const installer = await provisioned(t);
  await installer.writeInactive(request(update));
  await installer.markInactiveForTrial(3);
  t.equal(codeOf(await installer.markGood().catch((e: unknown) => e)), 'STW_DEVICE_STATE_INVALID');
});

t.test('when rewriting a slot is cut short, the record no longer claims the old image', async (t) => {
  const dir = t.testdir({});
  await FileSlotInstaller.provision(dir, factory, '1.0.0');
  await new FileSlotInstaller(dir).writeInactive(request(update, '2.0.0'));
  let cut = false;
  const fs = new DurableFs({
    onStep: (step) => {
      if (step.kind === 'write' && step.path.endsWith('slot-b.img')) {
        cut = true;
        throw new Error('power cut');
      }
    },
  });
  const installer = new FileSlotInstaller(dir, { fs });
  await installer.writeInactive(request(randomBytes(9000), '3.0.0')).catch(() => {});
  t.ok(cut, 'the cut fell inside the slot write');
  t.equal((await installer.bootState()).slots.b, undefined);
});
