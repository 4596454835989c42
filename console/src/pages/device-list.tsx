/**
 * The operator's terminal list (GET /v1/operator/devices) filtered by health flag, status,
 * model, firmware version or merchant; the filters live in the address, so the estate's
 * counts link straight to a filtered list.
 */
import { useState } from 'preact/hooks';
import { withQuery } from '../api/api-client.js';
import { FLAG_LABELS, FLAG_NAMES, type DeviceList, type DeviceView } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { FlagBadges } from '../components/flag-badges.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { StatusBadge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { useResource } from '../hooks/use-resource.js';
import { navigate } from '../router.js';

const FILTERS = ['flag', 'status', 'hardwareModel', 'firmwareVersion', 'merchantId'] as const;
type Filters = Partial<Record<(typeof FILTERS)[number], string>>;

export function DeviceListPage({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const filters: Filters = {};
  for (const name of FILTERS) {
    const value = query.get(name);
    if (value) filters[name] = value;
  }
  const after = query.get('after') ?? undefined;
  const key = JSON.stringify([filters, after]);
  const devices = useResource(() => api.get<DeviceList>('/v1/operator/devices', { ...filters, after, limit: 50 }), [api, key]);
  const flag = filters.flag as keyof typeof FLAG_LABELS | undefined;
  return (
    <Page title={flag && FLAG_LABELS[flag] ? `Terminals: ${FLAG_LABELS[flag].toLowerCase()}` : 'Terminals'}>
      <FilterForm key={JSON.stringify(filters)} filters={filters} />
      <Loaded resource={devices}>
        {(data) => (
          <>
            <DeviceTable devices={data.devices} />
            <p class="pager">
              {after && <Link href={withQuery('/console/devices', filters)}>First page</Link>}
              {data.next && <Link href={withQuery('/console/devices', { ...filters, after: data.next })}>Next page</Link>}
            </p>
          </>
        )}
      </Loaded>
    </Page>
  );
}

function FilterForm({ filters }: { filters: Filters }) {
  const [draft, setDraft] = useState<Filters>(filters);
  const set = (name: keyof Filters) => (event: { currentTarget: HTMLInputElement | HTMLSelectElement }) => setDraft({ ...draft, [name]: event.currentTarget.value });
  const submit = (event: Event) => {
    event.preventDefault();
    navigate(withQuery('/console/devices', draft));
  };
  return (
    <form class="filters card" onSubmit={submit} aria-label="Filter terminals">
      <div class="field">
        <label for="filter-flag">Health</label>
        <select id="filter-flag" value={draft.flag ?? ''} onChange={set('flag')}>
          <option value="">any</option>
          {FLAG_NAMES.map((flag) => (
            <option key={flag} value={flag}>
              {FLAG_LABELS[flag]}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-status">Status</label>
        <select id="filter-status" value={draft.status ?? ''} onChange={set('status')}>
          <option value="">any</option>
          <option value="active">active</option>
          <option value="disabled">disabled</option>
          <option value="swapped-out">swapped out</option>
        </select>
      </div>
      <div class="field">
        <label for="filter-model">Model</label>
        <input id="filter-model" value={draft.hardwareModel ?? ''} onInput={set('hardwareModel')} />
      </div>
      <div class="field">
        <label for="filter-firmware">Firmware</label>
        <input id="filter-firmware" value={draft.firmwareVersion ?? ''} onInput={set('firmwareVersion')} />
      </div>
      <div class="field">
        <label for="filter-merchant">Merchant</label>
        <input id="filter-merchant" value={draft.merchantId ?? ''} onInput={set('merchantId')} />
      </div>
      <button type="submit">Apply</button>
    </form>
  );
}

export function DeviceTable({ devices, hrefFor = (device) => `/console/devices/${encodeURIComponent(device.id)}` }: { devices: readonly DeviceView[]; hrefFor?: (device: DeviceView) => string }) {
  if (devices.length === 0) return <p class="muted">No terminals match.</p>;
  return (
    <div class="table-wrap">
      <table class="table">
        <thead>
          <tr>
            <th scope="col">Serial</th>
            <th scope="col">Model</th>
            <th scope="col">Firmware</th>
            <th scope="col">Merchant</th>
            <th scope="col">Profile</th>
            <th scope="col">Last seen</th>
            <th scope="col">Status</th>
            <th scope="col">Health</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => (
            <tr key={device.id}>
              <th scope="row">
                <Link href={hrefFor(device)}>{device.serial}</Link>
              </th>
              <td>{device.hardwareModel}</td>
              <td>{device.firmwareVersion ?? <span class="muted">—</span>}</td>
              <td>{device.merchantId ?? <span class="muted">—</span>}</td>
              <td>{device.profileVersion === null ? <span class="muted">—</span> : `v${device.profileVersion}`}</td>
              <td>
                <Time at={device.lastSeenAt} />
              </td>
              <td>
                <StatusBadge status={device.status} />
              </td>
              <td>
                <FlagBadges flags={device.flags} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
