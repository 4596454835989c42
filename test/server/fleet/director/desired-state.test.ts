import t from 'tap';
import { desiredState, desiredStateHash } from '../../../../server/fleet/director/desired-state.js';
import type { PlannedImage } from '../../../../server/fleet/rollouts/rollout-planner.js';

const image = (rolloutId: string, installWindow?: PlannedImage['installWindow']): PlannedImage => ({
  rolloutId, targetPath: `acme/${rolloutId}.bin`, component: 'firmware', version: '1.2.0', length: 10, hashes: { sha256: 'a'.repeat(64) }, hardwareId: 't100', installWindow,
});
const state = (images: PlannedImage[], cancelledRollouts: string[] = [], pollIntervalSeconds = 300) =>
  desiredState({ deviceId: 'dev_1', plan: { images, cancelledRollouts }, profile: undefined, pollIntervalSeconds });

t.test('the hash changes with what the document says, and only with that', async (t) => {
  const base = desiredStateHash(state([image('rol_1')]));
  t.equal(desiredStateHash(state([image('rol_1')])), base, 'stable');
  t.equal(desiredStateHash(state([image('rol_1')], ['b', 'a'])), desiredStateHash(state([image('rol_1')], ['a', 'b', 'a'])), 'cancelled rollouts are a set');
  t.not(desiredStateHash(state([image('rol_2')])), base);
  t.not(desiredStateHash(state([image('rol_1')], [], 600)), base, 'poll interval');
  t.not(desiredStateHash(state([image('rol_1', { start: '01:00', end: '02:00', timeZone: 'UTC' })])), base, 'install window');
});

t.test('the first planned image with a window sets the document window', async (t) => {
  const window = { start: '22:00', end: '02:00', timeZone: 'Europe/Berlin' };
  t.same(state([image('rol_1'), image('rol_2', window)]).instructions.installWindow, window);
  t.equal(state([image('rol_1')]).instructions.installWindow, undefined);
});
