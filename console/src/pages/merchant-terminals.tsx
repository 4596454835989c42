/** A merchant's terminals and their state (GET /v1/merchants/:id/terminals), with the profile adoption summary. */
import type { MerchantProfile, MerchantTerminal } from '../api/profile-types.js';
import { useApp } from '../app-context.js';
import { FlagBadges } from '../components/flag-badges.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { Time } from '../components/time.js';
import { formatCount } from '../format.js';
import { useResource } from '../hooks/use-resource.js';

export function MerchantTerminalsPage({ merchantId }: { merchantId: string }) {
  const { api, session } = useApp();
  const base = `/v1/merchants/${encodeURIComponent(merchantId)}`;
  const terminals = useResource(() => api.get<{ terminals: MerchantTerminal[] }>(`${base}/terminals`), [api, base]);
  const profile = useResource(() => api.get<MerchantProfile>(`${base}/profile`), [api, base]);
  const operator = session?.user.role === 'operator';
  return (
    <Page title="Terminals" subtitle={`Merchant ${merchantId}`}>
      <Loaded resource={profile} what="Loading profile">
        {(data) => (
          <p class="card adoption-line">
            Profile version <strong>{data.current?.version ?? '—'}</strong>: applied on <strong>{formatCount(data.adoption.applied)}</strong> of <strong>{formatCount(data.adoption.total)}</strong> terminals.{' '}
            <Link href={`/console/merchants/${encodeURIComponent(merchantId)}/profile`}>See the profile</Link>
          </p>
        )}
      </Loaded>
      <Loaded resource={terminals}>
        {(data) =>
          data.terminals.length === 0 ? (
            <p class="muted">No terminals assigned.</p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Terminal</th>
                    <th scope="col">Model</th>
                    <th scope="col">Firmware</th>
                    <th scope="col">Profile</th>
                    <th scope="col">Last seen</th>
                    <th scope="col">Health</th>
                  </tr>
                </thead>
                <tbody>
                  {[...data.terminals].sort((a, b) => (a.terminalId ?? a.deviceId).localeCompare(b.terminalId ?? b.deviceId)).map((terminal) => (
                    <tr key={terminal.deviceId}>
                      <th scope="row">
                        {operator ? <Link href={`/console/devices/${encodeURIComponent(terminal.deviceId)}`}>{terminal.terminalId ?? terminal.deviceId}</Link> : (terminal.terminalId ?? terminal.deviceId)}
                        <div class="muted small">{terminal.serial}</div>
                      </th>
                      <td>{terminal.hardwareModel}</td>
                      <td>{terminal.firmwareVersion ?? '—'}</td>
                      <td>{terminal.profileVersion ?? '—'}</td>
                      <td>
                        <Time at={terminal.lastSeenAt} />
                      </td>
                      <td>
                        <FlagBadges flags={terminal.flags} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}
