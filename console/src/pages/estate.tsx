/**
 * The operator's estate at a glance (GET /v1/operator/fleet/summary): terminals by status,
 * by hardware model and firmware version (a chart and the same numbers as a table), and how
 * many carry each health flag, each count linking to the filtered terminal list.
 */
import { FLAG_LABELS, FLAG_NAMES, type FleetSummary } from '../api/fleet-types.js';
import { useApp } from '../app-context.js';
import { StackedBar, type Segment } from '../components/bars.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { compareVersions, formatCount, plural } from '../format.js';
import { useResource } from '../hooks/use-resource.js';

export function EstatePage() {
  const { api } = useApp();
  const summary = useResource(() => api.get<FleetSummary>('/v1/operator/fleet/summary'), [api]);
  return (
    <Page title="Estate">
      <Loaded resource={summary}>{(data) => <Estate summary={data} />}</Loaded>
    </Page>
  );
}

function Estate({ summary }: { summary: FleetSummary }) {
  return (
    <>
      <section aria-labelledby="status-heading" class="cards">
        <h2 id="status-heading" class="visually-hidden">
          Terminals by status
        </h2>
        <Stat label="Terminals" value={summary.total} href="/console/devices" />
        <Stat label="Active" value={summary.byStatus['active'] ?? 0} href="/console/devices?status=active" />
        <Stat label="Disabled" value={summary.byStatus['disabled'] ?? 0} href="/console/devices?status=disabled" />
        <Stat label="Swapped out" value={summary.byStatus['swapped-out'] ?? 0} href="/console/devices?status=swapped-out" />
      </section>

      <section aria-labelledby="health-heading" class="card">
        <h2 id="health-heading">Health of active terminals</h2>
        <ul class="flag-counts">
          {FLAG_NAMES.map((flag) => (
            <li key={flag} class={summary.flags[flag] > 0 ? 'has-count' : ''}>
              <Link href={`/console/devices?flag=${flag}`}>
                <span class="flag-count">{formatCount(summary.flags[flag] ?? 0)}</span> <span class="flag-name">{FLAG_LABELS[flag]}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="models-heading" class="card">
        <h2 id="models-heading">Active terminals by model and firmware version</h2>
        <ModelChart models={summary.models} />
      </section>
    </>
  );
}

function Stat({ label, value, href }: { label: string; value: number; href: string }) {
  return (
    <Link href={href} class="stat card">
      <span class="stat-value">{formatCount(value)}</span>
      <span class="stat-label">{label}</span>
    </Link>
  );
}

/** One stacked bar per model, one segment per firmware version; the table below holds the same numbers. */
export function ModelChart({ models }: { models: FleetSummary['models'] }) {
  if (models.length === 0) return <p class="muted">No active terminals yet.</p>;
  const versions = [...new Set(models.map((row) => row.firmwareVersion ?? 'unknown'))].sort(compareVersions);
  const tone = (version: string) => `seg-${versions.indexOf(version) % 8}`;
  const byModel = new Map<string, { version: string; count: number }[]>();
  for (const row of models) {
    const list = byModel.get(row.hardwareModel) ?? [];
    list.push({ version: row.firmwareVersion ?? 'unknown', count: row.count });
    byModel.set(row.hardwareModel, list);
  }
  const largest = Math.max(...[...byModel.values()].map((rows) => rows.reduce((sum, row) => sum + row.count, 0)));
  return (
    <>
      <figure class="chart">
        <figcaption class="legend">
          {versions.map((version) => (
            <span key={version} class="legend-item">
              <span class={`swatch ${tone(version)}`} aria-hidden="true" /> firmware {version}
            </span>
          ))}
        </figcaption>
        {[...byModel.entries()].map(([model, rows]) => {
          const total = rows.reduce((sum, row) => sum + row.count, 0);
          const segments: Segment[] = rows.sort((a, b) => compareVersions(a.version, b.version)).map((row) => ({ label: `firmware ${row.version}`, value: row.count, tone: tone(row.version) }));
          return (
            <div class="chart-row" key={model}>
              <span class="chart-label">{model}</span>
              <div class="chart-bar">
                <StackedBar segments={segments} total={largest} label={`${model}: ${rows.map((row) => `${plural(row.count, 'terminal')} on ${row.version}`).join(', ')}`} />
              </div>
              <span class="chart-total">{formatCount(total)}</span>
            </div>
          );
        })}
      </figure>
      <table class="table compact">
        <caption class="visually-hidden">Active terminals by model and firmware version</caption>
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Firmware</th>
            <th scope="col" class="num">
              Terminals
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((row) => (
            <tr key={`${row.hardwareModel} ${row.firmwareVersion ?? ''}`}>
              <td>{row.hardwareModel}</td>
              <td>{row.firmwareVersion ?? <span class="muted">unknown</span>}</td>
              <td class="num">
                <Link href={`/console/devices?hardwareModel=${encodeURIComponent(row.hardwareModel)}${row.firmwareVersion ? `&firmwareVersion=${encodeURIComponent(row.firmwareVersion)}` : ''}`}>{formatCount(row.count)}</Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
