/** Merchants, for operators (GET /v1/merchants): each links to its terminals and profile. */
import type { Merchant } from '../api/profile-types.js';
import { useApp } from '../app-context.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { Time } from '../components/time.js';
import { useResource } from '../hooks/use-resource.js';

export function MerchantsPage() {
  const { api } = useApp();
  const merchants = useResource(() => api.get<{ merchants: Merchant[] }>('/v1/merchants'), [api]);
  return (
    <Page title="Merchants">
      <Loaded resource={merchants}>
        {(data) =>
          data.merchants.length === 0 ? (
            <p class="muted">No merchants registered.</p>
          ) : (
            <div class="table-wrap">
              <table class="table">
                <thead>
                  <tr>
                    <th scope="col">Merchant</th>
                    <th scope="col">Id</th>
                    <th scope="col">Profile</th>
                    <th scope="col">Registered</th>
                  </tr>
                </thead>
                <tbody>
                  {data.merchants.map((merchant) => (
                    <tr key={merchant.id}>
                      <th scope="row">
                        <Link href={`/console/merchants/${encodeURIComponent(merchant.id)}`}>{merchant.name}</Link>
                      </th>
                      <td class="mono">{merchant.id}</td>
                      <td>
                        <Link href={`/console/merchants/${encodeURIComponent(merchant.id)}/profile`}>Profile</Link>
                      </td>
                      <td>
                        <Time at={merchant.createdAt} />
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
