/** Pieces shared by the rollout list and the rollout page. */
import type { Counters, RolloutView } from '../api/fleet-types.js';
import type { Segment } from '../components/bars.js';

export function rolloutTitle(rollout: Pick<RolloutView, 'label' | 'release'>): string {
  return rollout.label !== '' ? rollout.label : `${rollout.release.component} ${rollout.release.version}`;
}

/** Succeeded, failed and still in progress, out of the devices admitted. */
export function progressSegments(counters: Counters): Segment[] {
  const busy = Math.max(0, counters.admitted - counters.succeeded - counters.failed);
  return [
    { label: 'succeeded', value: counters.succeeded, tone: 'seg-good' },
    { label: 'failed', value: counters.failed, tone: 'seg-bad' },
    { label: 'in progress', value: busy, tone: 'seg-busy' },
  ];
}
