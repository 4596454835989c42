/**
 * One terminal for the operator (GET /v1/operator/devices/:id and its /history): identity
 * and assignment, installed versions, profile, health now, health history (check-ins) and
 * update history (update and profile events with their codes).
 */
import { Fragment } from 'preact';
import type { DeviceHistory, DeviceView } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { FlagBadges } from '../components/flag-badges.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { Badge, StatusBadge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { useResource } from '../hooks/use-resource.js';
import { healthSummary } from './health-summary.js';

export function TerminalPage({ deviceId }: { deviceId: string }) {
  const { api } = useApp();
  const path = `/v1/operator/devices/${encodeURIComponent(deviceId)}`;
  const device = useResource(() => api.get<DeviceView>(path), [api, path]);
  const history = useResource(() => api.get<DeviceHistory>(`${path}/history`, { limit: 50 }), [api, path]);
  return (
    <Page title={device.data ? `Terminal ${device.data.serial}` : 'Terminal'} subtitle={deviceId}>
      <Loaded resource={device}>{(data) => <TerminalDetails device={data} />}</Loaded>
      <Loaded resource={history} what="Loading history">
        {(data) => <TerminalHistory history={data} />}
      </Loaded>
    </Page>
  );
}

function TerminalDetails({ device }: { device: DeviceView }) {
  const health = healthSummary(device.health);
  return (
    <div class="grid">
      <section class="card" aria-labelledby="identity-heading">
        <h2 id="identity-heading">Identity and assignment</h2>
        <dl class="facts">
          <dt>Serial</dt>
          <dd>{device.serial}</dd>
          <dt>Model</dt>
          <dd>{device.hardwareModel}</dd>
          <dt>Status</dt>
          <dd>
            <StatusBadge status={device.status} />
          </dd>
          <dt>Merchant</dt>
          <dd>{device.merchantId ? <Link href={`/console/merchants/${encodeURIComponent(device.merchantId)}`}>{device.merchantId}</Link> : <span class="muted">unassigned</span>}</dd>
          {device.terminalId !== undefined && (
            <>
              <dt>Terminal id</dt>
              <dd>{device.terminalId ?? <span class="muted">—</span>}</dd>
            </>
          )}
          <dt>Time zone</dt>
          <dd>{device.timeZone}</dd>
          <dt>Tags</dt>
          <dd>{device.tags.length > 0 ? device.tags.join(', ') : <span class="muted">none</span>}</dd>
          <dt>Enrolled</dt>
          <dd>
            <Time at={device.enrolledAt} />
          </dd>
          <dt>Last seen</dt>
          <dd>
            <Time at={device.lastSeenAt} />
          </dd>
        </dl>
      </section>

      <section class="card" aria-labelledby="versions-heading">
        <h2 id="versions-heading">Versions</h2>
        {device.installed && device.installed.length > 0 ? (
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Version</th>
                <th scope="col">Target</th>
              </tr>
            </thead>
            <tbody>
              {device.installed.map((item) => (
                <tr key={item.component}>
                  <th scope="row">{item.component}</th>
                  <td>{item.version}</td>
                  <td class="mono">{item.targetPath ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="muted">Nothing reported yet.</p>
        )}
        <h3>Profile</h3>
        <p>
          {device.profileVersion === null ? <span class="muted">No profile applied.</span> : <>Applied version {device.profileVersion}</>}{' '}
          {device.flags.includes('profile-not-applied') && <Badge tone="bad">not applied</Badge>}
        </p>
      </section>

      <section class="card" aria-labelledby="health-heading">
        <h2 id="health-heading">Health now</h2>
        <p>
          <FlagBadges flags={device.flags} />
        </p>
        {health.length > 0 ? (
          <dl class="facts">
            {health.map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{value}</dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p class="muted">No health report yet.</p>
        )}
      </section>
    </div>
  );
}

function TerminalHistory({ history }: { history: DeviceHistory }) {
  return (
    <>
      <section class="card" aria-labelledby="updates-heading">
        <h2 id="updates-heading">Update history</h2>
        {history.events.length === 0 ? (
          <p class="muted">No update or profile events.</p>
        ) : (
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Event</th>
                  <th scope="col">Version</th>
                  <th scope="col">Rollout</th>
                  <th scope="col">Code</th>
                </tr>
              </thead>
              <tbody>
                {history.events.map((event) => (
                  <tr key={event.id}>
                    <td>
                      <Time at={event.at} />
                    </td>
                    <td>
                      <Badge tone={eventTone(event.kind)}>{event.kind}</Badge>
                    </td>
                    <td>{event.version ?? event.targetPath ?? '—'}</td>
                    <td>{event.rolloutId ? <Link href={`/console/rollouts/${encodeURIComponent(event.rolloutId)}`}>{event.rolloutId}</Link> : '—'}</td>
                    <td class="mono">{event.code ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section class="card" aria-labelledby="checkins-heading">
        <h2 id="checkins-heading">Health history</h2>
        {history.checkIns.length === 0 ? (
          <p class="muted">No check-ins yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table compact">
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Firmware</th>
                  <th scope="col">Profile</th>
                  <th scope="col">Health</th>
                </tr>
              </thead>
              <tbody>
                {history.checkIns.map((checkIn) => (
                  <tr key={checkIn.at}>
                    <td>
                      <Time at={checkIn.at} />
                    </td>
                    <td>{checkIn.installed.find((item) => item.component === 'firmware')?.version ?? '—'}</td>
                    <td>{checkIn.profileVersion ?? '—'}</td>
                    <td>{healthSummary(checkIn.health).map(([name, value]) => `${name}: ${value}`).join(' · ') || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function eventTone(kind: string): 'good' | 'bad' | 'info' | 'neutral' {
  if (kind === 'committed' || kind === 'profile-applied') return 'good';
  if (kind === 'rolled-back' || kind === 'rejected' || kind === 'profile-rolled-back') return 'bad';
  return 'info';
}
