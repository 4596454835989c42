/** The operator's rollouts (GET /v1/operator/rollouts), newest first, filterable by status. */
import type { RolloutView } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { StackedBar } from '../components/bars.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { StatusBadge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { formatRatio } from '../format.js';
import { useResource } from '../hooks/use-resource.js';
import { navigate } from '../router.js';
import { progressSegments, rolloutTitle } from './rollout-parts.js';

const STATUSES = ['active', 'paused', 'completed', 'aborted', 'cancelled'] as const;

export function RolloutsPage({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const status = query.get('status') ?? '';
  const rollouts = useResource(() => api.get<{ rollouts: RolloutView[] }>('/v1/operator/rollouts', { status, limit: 100 }), [api, status]);
  return (
    <Page title="Rollouts">
      <form class="filters card" aria-label="Filter rollouts" onSubmit={(event) => event.preventDefault()}>
        <div class="field">
          <label for="rollout-status">Status</label>
          <select id="rollout-status" value={status} onChange={(event) => navigate(event.currentTarget.value ? `/console/rollouts?status=${event.currentTarget.value}` : '/console/rollouts')}>
            <option value="">any</option>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </div>
      </form>
      <Loaded resource={rollouts}>{(data) => <RolloutTable rollouts={data.rollouts} />}</Loaded>
    </Page>
  );
}

function RolloutTable({ rollouts }: { rollouts: readonly RolloutView[] }) {
  if (rollouts.length === 0) return <p class="muted">No rollouts.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Rollout</th>
            <th scope="col">Status</th>
            <th scope="col">Phase</th>
            <th scope="col">Progress</th>
            <th scope="col">Failure ratio</th>
            <th scope="col">Started</th>
          </tr>
        </thead>
        <tbody>
          {rollouts.map((rollout) => (
            <tr key={rollout.id}>
              <th scope="row">
                <Link href={`/console/rollouts/${encodeURIComponent(rollout.id)}`}>{rolloutTitle(rollout)}</Link>
                <div class="muted small">{rollout.release.hardwareIds.join(', ')}</div>
              </th>
              <td>
                <StatusBadge status={rollout.status} />
              </td>
              <td>
                {rollout.currentPhase + 1} of {rollout.phases.length}
              </td>
              <td class="progress-cell">
                <StackedBar segments={progressSegments(rollout.totals)} label={`${rollout.totals.succeeded} succeeded, ${rollout.totals.failed} failed of ${rollout.totals.admitted} admitted`} />
                <span class="small">
                  {rollout.totals.succeeded}/{rollout.totals.admitted}
                </span>
              </td>
              <td>
                {formatRatio(rollout.totals.failureRatio)} <span class="muted small">(abort at {formatRatio(rollout.abort.failureRatio)})</span>
              </td>
              <td>
                <Time at={rollout.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
