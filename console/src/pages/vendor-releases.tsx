/**
 * A vendor's releases and their adoption (GET /v1/vendors/:id/releases and /adoption): for
 * each release, how many active terminals of the models it names run it. The vendor's own
 * staff see their vendor; an operator sees any.
 */
import type { ReleaseAdoption, VendorAdoption, Vendor } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { StackedBar } from '../components/bars.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { Time } from '../components/time.js';
import { compareVersions, formatCount, formatRatio, plural, share } from '../format.js';
import { useResource } from '../hooks/use-resource.js';

interface Release {
  readonly targetPath: string;
  readonly notes: string;
  readonly length: number;
  readonly minFromVersion: string | null;
}

export function VendorReleasesPage({ vendorId }: { vendorId: string }) {
  const { api } = useApp();
  const base = `/v1/vendors/${encodeURIComponent(vendorId)}`;
  const data = useResource(async () => {
    const [adoption, releases] = await Promise.all([api.get<VendorAdoption>(`${base}/adoption`), api.get<{ releases: Release[] }>(`${base}/releases`)]);
    return { adoption, details: new Map(releases.releases.map((release) => [release.targetPath, release])) };
  }, [api, base]);
  return (
    <Page title={`Releases of ${vendorId}`}>
      <Loaded resource={data}>{({ adoption, details }) => <Releases adoption={adoption} details={details} />}</Loaded>
    </Page>
  );
}

function Releases({ adoption, details }: { adoption: VendorAdoption; details: Map<string, Release> }) {
  if (adoption.releases.length === 0) return <p class="muted">No releases published yet.</p>;
  const byComponent = new Map<string, ReleaseAdoption[]>();
  for (const release of adoption.releases) byComponent.set(release.component, [...(byComponent.get(release.component) ?? []), release]);
  return (
    <>
      <section class="cards" aria-label="Terminals by model">
        {adoption.models.map((model) => (
          <div class="stat card" key={model.hardwareModel}>
            <span class="stat-value">{formatCount(model.devices)}</span>
            <span class="stat-label">active {model.hardwareModel}</span>
          </div>
        ))}
      </section>
      {[...byComponent.entries()].map(([component, releases]) => (
        <section class="card" key={component} aria-labelledby={`component-${component}`}>
          <h2 id={`component-${component}`}>{component}: adoption per version</h2>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Models</th>
                  <th scope="col">Adoption</th>
                  <th scope="col">Published</th>
                  <th scope="col">Notes</th>
                </tr>
              </thead>
              <tbody>
                {[...releases]
                  .sort((a, b) => compareVersions(b.version, a.version))
                  .map((release) => {
                    const detail = details.get(release.targetPath);
                    return (
                      <tr key={release.targetPath}>
                        <th scope="row">
                          {release.version}
                          <div class="muted small mono">{release.targetPath}</div>
                        </th>
                        <td>{release.hardwareIds.join(', ')}</td>
                        <td class="progress-cell">
                          <StackedBar
                            segments={[{ label: 'running', value: release.devices, tone: 'seg-good' }]}
                            total={release.eligible}
                            label={`${plural(release.devices, 'terminal')} of ${formatCount(release.eligible)} run ${release.version}`}
                          />
                          <span class="small">
                            {formatCount(release.devices)} of {formatCount(release.eligible)} ({formatRatio(share(release.devices, release.eligible))})
                          </span>
                        </td>
                        <td>
                          <Time at={release.createdAt} />
                        </td>
                        <td>
                          {detail?.notes || <span class="muted">—</span>}
                          {detail?.minFromVersion && <div class="muted small">from {detail.minFromVersion} up</div>}
                        </td>
                      </tr>
                    );
                  })}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}

export function VendorsPage() {
  const { api } = useApp();
  const vendors = useResource(() => api.get<{ vendors: Vendor[] }>('/v1/operator/vendors'), [api]);
  return (
    <Page title="Vendors">
      <Loaded resource={vendors}>
        {(data) =>
          data.vendors.length === 0 ? (
            <p class="muted">No vendors registered.</p>
          ) : (
            <ul class="link-list card">
              {data.vendors.map((vendor) => (
                <li key={vendor.id}>
                  <Link href={`/console/vendors/${encodeURIComponent(vendor.id)}/releases`}>{vendor.name}</Link> <span class="muted small">{vendor.id}</span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Page>
  );
}
