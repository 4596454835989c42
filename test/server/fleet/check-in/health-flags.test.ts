import t from 'tap';
import { nextFlags } from '../../../../server/fleet/check-in/health-flags.js';

const clear = { paperOut: false, updateFailed: false, profileNotApplied: false };
const noProfile = { named: null, held: false, reported: null };

t.test('paper out follows the printer report, and stays when there is none', async (t) => {
  t.equal(nextFlags(clear, { health: { printer: { paper: 'out' } }, events: [], profile: noProfile }).paperOut, true);
  t.equal(nextFlags({ ...clear, paperOut: true }, { health: {}, events: [], profile: noProfile }).paperOut, true);
  t.equal(nextFlags({ ...clear, paperOut: true }, { health: { printer: { paper: 'low' } }, events: [], profile: noProfile }).paperOut, false);
});

t.test('update failed: the latest outcome by time wins, whatever the order received', async (t) => {
  const events = [
    { kind: 'committed', at: '2027-06-01T12:00:00Z' },
    { kind: 'rolled-back', at: '2027-06-01T11:00:00Z' },
  ] as const;
  t.equal(nextFlags(clear, { health: undefined, events, profile: noProfile }).updateFailed, false);
  t.equal(nextFlags(clear, { health: undefined, events: [{ kind: 'rejected', at: '2027-06-01T12:00:00Z' }], profile: noProfile }).updateFailed, true);
  t.equal(nextFlags({ ...clear, updateFailed: true }, { health: undefined, events: [{ kind: 'downloaded', at: '2027-06-01T12:00:00Z' }], profile: noProfile }).updateFailed, true, 'other events leave it');
});

t.test('profile not applied', async (t) => {
  t.equal(nextFlags(clear, { health: undefined, events: [{ kind: 'profile-rolled-back', at: '2027-06-01T12:00:00Z' }], profile: noProfile }).profileNotApplied, true);
  t.equal(nextFlags(clear, { health: undefined, events: [], profile: { named: 4, held: true, reported: 3 } }).profileNotApplied, true, 'holds the document naming 4, reports 3');
  t.equal(nextFlags(clear, { health: undefined, events: [], profile: { named: 4, held: false, reported: 3 } }).profileNotApplied, false, 'not yet received');
  t.equal(nextFlags({ ...clear, profileNotApplied: true }, { health: undefined, events: [], profile: { named: 4, held: true, reported: 4 } }).profileNotApplied, false);
});
