/**
 * One rollout (GET /v1/operator/rollouts/:id): status and actions (pause, resume, advance a
 * manual phase, cancel after a confirmation), the failure ratio against the abort
 * threshold, per-phase progress, devices per state, and the start of its history.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.js';
import type { RolloutHistory, RolloutView } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { StackedBar, ThresholdBar } from '../components/bars.js';
import { Link } from '../components/link.js';
import { ErrorNotice, Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { StatusBadge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { formatCount, formatRatio } from '../format.js';
import { useResource, type Resource } from '../hooks/use-resource.js';
import { progressSegments, rolloutTitle } from './rollout-parts.js';

type Action = 'pause' | 'resume' | 'cancel' | 'advance';

const HISTORY_PAGE = 50;

const DONE: Readonly<Record<Action, string>> = { pause: 'Rollout paused.', resume: 'Rollout resumed.', cancel: 'Rollout cancelled.', advance: 'Moved to the next phase.' };

export function RolloutPage({ rolloutId }: { rolloutId: string }) {
  const { api } = useApp();
  const path = `/v1/operator/rollouts/${encodeURIComponent(rolloutId)}`;
  const rollout = useResource(() => api.get<RolloutView>(path), [api, path]);
  const history = useResource(() => api.get<RolloutHistory>(`${path}/history`, { limit: HISTORY_PAGE }), [api, path]);
  return (
    <Page title={rollout.data ? `Rollout: ${rolloutTitle(rollout.data)}` : 'Rollout'} subtitle={rollout.data ? <span class="mono">{rollout.data.targetPath}</span> : rolloutId}>
      <Loaded resource={rollout}>{(data) => <RolloutDetails rollout={data} resource={rollout} path={path} onChanged={() => void history.reload()} />}</Loaded>
      <Loaded resource={history} what="Loading history">
        {(data) => <History first={data} path={path} />}
      </Loaded>
    </Page>
  );
}

function RolloutDetails({ rollout, resource, path, onChanged }: { rollout: RolloutView; resource: Resource<RolloutView>; path: string; onChanged: () => void }) {
  const { api } = useApp();
  const [busy, setBusy] = useState<Action | undefined>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();

  const act = async (action: Action) => {
    setBusy(action);
    setMessage(undefined);
    try {
      await api.post<RolloutView>(`${path}/${action}`, action === 'advance' ? { fromPhase: rollout.currentPhase } : {});
      setMessage({ tone: 'ok', text: DONE[action] });
    } catch (error) {
      const text = error instanceof ApiError && error.code === 'STW_ROLLOUT_STATE_CONFLICT' ? `The rollout changed meanwhile (${error.message}); showing it as it is now.` : describeError(error);
      setMessage({ tone: 'error', text });
    } finally {
      setBusy(undefined);
      setConfirmCancel(false);
      await resource.reload();
      onChanged();
    }
  };

  const { status } = rollout;
  const phase = rollout.phases[rollout.currentPhase];
  const canCancel = status === 'active' || status === 'paused' || status === 'completed';
  return (
    <>
      <section class="card rollout-status" aria-labelledby="status-heading">
        <h2 id="status-heading" class="visually-hidden">
          Status
        </h2>
        <p class="status-line">
          <StatusBadge status={status} /> Phase {rollout.currentPhase + 1} of {rollout.phases.length}
          {rollout.endedAt && (
            <>
              {' '}
              · ended <Time at={rollout.endedAt} />
            </>
          )}
        </p>
        <div class="actions" role="group" aria-label="Rollout actions">
          {status === 'active' && (
            <button type="button" onClick={() => void act('pause')} disabled={busy !== undefined}>
              {busy === 'pause' ? 'Pausing…' : 'Pause'}
            </button>
          )}
          {status === 'paused' && (
            <button type="button" class="primary" onClick={() => void act('resume')} disabled={busy !== undefined}>
              {busy === 'resume' ? 'Resuming…' : 'Resume'}
            </button>
          )}
          {status === 'active' && phase?.advance === 'manual' && (
            <button type="button" onClick={() => void act('advance')} disabled={busy !== undefined}>
              {rollout.currentPhase + 1 < rollout.phases.length ? 'Advance to next phase' : 'Complete'}
            </button>
          )}
          {canCancel && !confirmCancel && (
            <button type="button" class="danger" onClick={() => setConfirmCancel(true)} disabled={busy !== undefined}>
              Cancel rollout…
            </button>
          )}
          {confirmCancel && (
            <span class="confirm" role="group" aria-label="Confirm cancel">
              <span>Devices with an unfinished offer will be told to drop it. Cancel this rollout?</span>
              <button type="button" class="danger" onClick={() => void act('cancel')} disabled={busy !== undefined}>
                {busy === 'cancel' ? 'Cancelling…' : 'Yes, cancel rollout'}
              </button>
              <button type="button" onClick={() => setConfirmCancel(false)} disabled={busy !== undefined}>
                Keep it
              </button>
            </span>
          )}
        </div>
        <p role="status" class={message ? `notice notice-${message.tone === 'ok' ? 'ok' : 'error'}` : 'visually-hidden'}>
          {message?.text ?? ''}
        </p>
      </section>

      <section class="card" aria-labelledby="failure-heading">
        <h2 id="failure-heading">Failure ratio</h2>
        <ThresholdBar ratio={rollout.totals.failureRatio} threshold={rollout.abort.failureRatio} label="Failure ratio" />
        <p>
          <strong>{formatRatio(rollout.totals.failureRatio)}</strong> failed of {formatCount(rollout.totals.attempted)} attempted; the rollout aborts at {formatRatio(rollout.abort.failureRatio)}{' '}
          {rollout.totals.abortArmed ? '(armed)' : `once ${formatCount(rollout.abort.minAttempted)} have attempted`}.
        </p>
        <Totals rollout={rollout} />
      </section>

      <section class="card" aria-labelledby="phases-heading">
        <h2 id="phases-heading">Phases</h2>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">Phase</th>
                <th scope="col">Size</th>
                <th scope="col">Progress</th>
                <th scope="col">Success ratio</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
              </tr>
            </thead>
            <tbody>
              {rollout.phases.map((item) => (
                <tr key={item.index} aria-current={item.index === rollout.currentPhase ? 'step' : undefined} class={item.index === rollout.currentPhase ? 'current' : ''}>
                  <th scope="row">
                    {item.index + 1} <span class="muted small">{item.advance}</span>
                  </th>
                  <td>{item.kind === 'percent' ? `${item.value}% of selected` : `${formatCount(item.value)} devices`}</td>
                  <td class="progress-cell">
                    <StackedBar segments={progressSegments(item)} label={`Phase ${item.index + 1}: ${item.succeeded} succeeded, ${item.failed} failed of ${item.admitted} admitted`} />
                    <span class="small">
                      {item.succeeded} ok · {item.failed} failed · {item.admitted} admitted
                    </span>
                  </td>
                  <td>
                    {formatRatio(item.successRatio)} <span class="muted small">(needs {formatRatio(item.successThreshold)})</span>
                  </td>
                  <td>
                    <Time at={item.startedAt} />
                  </td>
                  <td>
                    <Time at={item.endedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </>
  );
}

function Totals({ rollout }: { rollout: RolloutView }) {
  const states = Object.entries(rollout.states ?? {}).filter(([, n]) => n > 0);
  return (
    <>
      <dl class="facts inline">
        <dt>Admitted</dt>
        <dd>{formatCount(rollout.totals.admitted)}</dd>
        <dt>Attempted</dt>
        <dd>{formatCount(rollout.totals.attempted)}</dd>
        <dt>Succeeded</dt>
        <dd>{formatCount(rollout.totals.succeeded)}</dd>
        <dt>Failed</dt>
        <dd>{formatCount(rollout.totals.failed)}</dd>
        <dt>Timed out</dt>
        <dd>{formatCount(rollout.totals.timedOut)}</dd>
      </dl>
      {states.length > 0 && (
        <p class="small">
          <span class="muted">Devices by state:</span> {states.map(([state, n]) => `${state} ${formatCount(n)}`).join(' · ')}
        </p>
      )}
    </>
  );
}

function History({ first, path }: { first: RolloutHistory; path: string }) {
  const { api } = useApp();
  const [pages, setPages] = useState<RolloutHistory[]>([first]);
  useEffect(() => setPages([first]), [first]); // reloaded after an action: start again
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>();
  const events = pages.flatMap((page) => page.events);
  const next = pages[pages.length - 1]?.next ?? null;
  const more = async () => {
    if (next === null) return;
    setLoading(true);
    try {
      const page = await api.get<RolloutHistory>(`${path}/history`, { after: next, limit: HISTORY_PAGE });
      setPages((previous) => [...previous, page]);
      setError(undefined);
    } catch (caught) {
      setError(caught);
    } finally {
      setLoading(false);
    }
  };
  return (
    <section class="card" aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      {events.length === 0 ? (
        <p class="muted">Nothing recorded yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table compact">
            <caption class="visually-hidden">Rollout history, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">By</th>
                <th scope="col">Device</th>
                <th scope="col">Code</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td>
                    <Time at={event.at} />
                  </td>
                  <td>
                    {event.kind}
                    {event.phase !== null ? ` (phase ${event.phase + 1})` : ''}
                  </td>
                  <td>{event.actor}</td>
                  <td>{event.deviceId ? <Link href={`/console/devices/${encodeURIComponent(event.deviceId)}`}>{event.deviceId}</Link> : ''}</td>
                  <td class="mono">{event.code ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {error !== undefined && <ErrorNotice error={error} />}
      {next !== null && (
        <p>
          <button type="button" onClick={() => void more()} disabled={loading}>
            {loading ? 'Loading…' : 'Show more'}
          </button>
        </p>
      )}
    </section>
  );
}
