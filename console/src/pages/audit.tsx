/**
 * The audit log for operators: the chain's verification (GET /v1/audit/verify) above the
 * entries, newest first (GET /v1/audit?order=desc), each with its masked before and after.
 */
import type { AuditEntry, AuditPage as AuditPageData, AuditVerification } from '../api/audit-types.js';
import { withQuery } from '../api/api-client.js';
import { useApp } from '../app-context.js';
import { ChangeTable, diffJson } from '../components/json-change.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { ShortId } from '../components/short-id.js';
import { Time } from '../components/time.js';
import { formatCount } from '../format.js';
import { useResource } from '../hooks/use-resource.js';
import { navigate } from '../router.js';

export function AuditPage({ query }: { query: URLSearchParams }) {
  const { api } = useApp();
  const before = query.get('before') ?? undefined;
  const tenant = query.get('tenant') ?? undefined;
  const verification = useResource(() => api.get<AuditVerification>('/v1/audit/verify'), [api]);
  const entries = useResource(() => api.get<AuditPageData>('/v1/audit', { order: 'desc', before, tenant, limit: 50 }), [api, before, tenant]);
  return (
    <Page title="Audit log">
      <Loaded resource={verification} what="Verifying the chain">
        {(result) => <Verification result={result} recheck={() => void verification.reload()} />}
      </Loaded>
      <form
        class="filters card"
        aria-label="Filter the audit log"
        onSubmit={(event) => {
          event.preventDefault();
          const value = new FormData(event.currentTarget).get('tenant');
          navigate(withQuery('/console/audit', { tenant: typeof value === 'string' ? value.trim() : undefined }));
        }}
      >
        <div class="field">
          <label for="audit-tenant">Merchant or vendor</label>
          <input id="audit-tenant" name="tenant" defaultValue={tenant ?? ''} />
        </div>
        <button type="submit">Filter</button>
      </form>
      <Loaded resource={entries}>
        {(page) => (
          <>
            <Entries entries={page.entries} />
            <p class="pager">
              {before && <Link href={withQuery('/console/audit', { tenant })}>Newest</Link>}
              {page.next !== null && page.entries.length > 0 && <Link href={withQuery('/console/audit', { tenant, before: page.next })}>Older entries</Link>}
            </p>
          </>
        )}
      </Loaded>
    </Page>
  );
}

function Verification({ result, recheck }: { result: AuditVerification; recheck: () => void }) {
  if (result.ok) {
    return (
      <div class="notice notice-ok verification" role="status">
        <p>
          <strong>Chain verified:</strong> {formatCount(result.entries)} entries intact
          {result.headSeq !== undefined && (
            <>
              , head {result.headSeq} <span class="mono small">{result.headHash?.slice(0, 16)}…</span>
            </>
          )}
          .
        </p>
        <button type="button" onClick={recheck}>
          Verify again
        </button>
      </div>
    );
  }
  return (
    <div class="notice notice-error verification" role="alert">
      <p>
        <strong>Chain broken</strong>
        {result.problem && (
          <>
            {' '}
            at entry {result.problem.seq} ({result.problem.kind})
          </>
        )}
        : {result.message ?? 'an entry was edited or deleted'}.
      </p>
      <button type="button" onClick={recheck}>
        Verify again
      </button>
    </div>
  );
}

function Entries({ entries }: { entries: readonly AuditEntry[] }) {
  if (entries.length === 0) return <p class="muted">No entries.</p>;
  return (
    <div class="table-wrap">
      <table class="table audit">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">When</th>
            <th scope="col">Action</th>
            <th scope="col">Actor</th>
            <th scope="col">Tenant</th>
            <th scope="col">Subject</th>
            <th scope="col">Change</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => {
            const changes = diffJson(entry.before ?? undefined, entry.after ?? undefined);
            return (
              <tr key={entry.seq}>
                <td class="num">{entry.seq}</td>
                <td>
                  <Time at={entry.at} />
                </td>
                <th scope="row" class="mono nowrap">
                  {entry.action}
                </th>
                <td class="small">
                  <ShortId id={entry.actor} />
                </td>
                <td class="nowrap">{entry.tenantId ?? <span class="muted">—</span>}</td>
                <td class="small">
                  <ShortId id={entry.subject} />
                </td>
                <td>
                  {changes.length === 0 ? (
                    <span class="muted small">—</span>
                  ) : (
                    <details>
                      <summary>
                        {changes.length} field{changes.length === 1 ? '' : 's'}
                      </summary>
                      <ChangeTable changes={changes} />
                    </details>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
