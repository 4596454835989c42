// The stable (device, rollout) hash that decides percent cohorts.
import t from 'tap';
import { cohortHash, COHORT_SCALE } from '../../../../server/fleet/rollouts/cohort-hash.js';
import { deviceIds } from './rollout-fixtures.js';

const IDS = deviceIds(10_000);
const cohort = (rolloutId: string, bp: number) => new Set(IDS.filter((id) => cohortHash(id, rolloutId) < bp));

t.test('a 10% share of 10,000 devices holds about 1,000 of them', async (t) => {
  for (const rolloutId of ['rol_a', 'rol_b', 'rol_c']) {
    const size = cohort(rolloutId, 1000).size;
    // Binomial(10000, 0.1): sd = 30; 5 sd either side.
    t.ok(size > 850 && size < 1150, `${rolloutId}: ${size}`);
  }
});

t.test('the same devices every time, and a larger share is a superset', async (t) => {
  const ten = cohort('rol_a', 1000);
  t.same([...cohort('rol_a', 1000)], [...ten], 'recomputed: identical');
  const thirty = cohort('rol_a', 3000);
  t.ok([...ten].every((id) => thirty.has(id)), '10% within 30%');
  t.equal(cohort('rol_a', COHORT_SCALE).size, IDS.length, '100% is everyone');
  t.equal(cohort('rol_a', 0).size, 0, '0% is no one');
});

t.test('each rollout draws its own cohort', async (t) => {
  const a = cohort('rol_a', 1000);
  const overlap = [...cohort('rol_b', 1000)].filter((id) => a.has(id)).length;
  // Independent 10% draws overlap by ~1% (100), far from the 1,000 of identical cohorts.
  t.ok(overlap < 200, `overlap ${overlap}`);
});

t.test('the hash is in range and fixed across releases of this code', async (t) => {
  for (const id of IDS.slice(0, 500)) {
    const h = cohortHash(id, 'rol_a');
    t.ok(Number.isInteger(h) && h >= 0 && h < COHORT_SCALE);
  }
  // SHA-256("rol_x\0dev_y") first 4 bytes, big-endian, mod 10000: pinned so replicas of different versions agree.
  t.equal(cohortHash('dev_y', 'rol_x'), 2882);
  t.not(cohortHash('b', 'a'), cohortHash('', 'ab'), 'the separator keeps ("a","b") apart from ("ab","")');
});
