/**
 * A merchant's profile (GET /v1/merchants/:id/profile): the version terminals receive and
 * "applied on N of M terminals" with the ones that lag and why, scheduled versions, changes
 * waiting for approval (withdrawable), the correction form, and recent changes.
 */
import { useState } from 'preact/hooks';
import { describeError } from '../api/api-error.js';
import type { MerchantProfile, ProfileChange } from '../api/profile-types.js';
import { useApp } from '../app-context.js';
import { StackedBar } from '../components/bars.js';
import { ChangeTable } from '../components/json-change.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { Badge, StatusBadge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { formatCount } from '../format.js';
import { useResource } from '../hooks/use-resource.js';
import { describeField } from './profile-format.js';
import { ProfileForm } from './profile-form.js';

const SHOWN_FIELDS: readonly [string, string][] = [
  ['merchant_name', 'Merchant name'],
  ['receipt_header', 'Receipt header'],
  ['mcc', 'MCC'],
  ['currency', 'Currency'],
  ['time_zone', 'Time zone'],
  ['settlement_account', 'Settlement account'],
  ['fees', 'Fees'],
  ['limits', 'Limits'],
];

const LAG_REASONS: Readonly<Record<string, string>> = {
  'no-terminal-id': 'no terminal id assigned',
  offline: 'offline',
  'rolled-back': 'the terminal rolled it back',
  pending: 'not fetched yet',
};

export function MerchantProfilePage({ merchantId }: { merchantId: string }) {
  const { api } = useApp();
  const base = `/v1/merchants/${encodeURIComponent(merchantId)}/profile`;
  const profile = useResource(() => api.get<MerchantProfile>(base), [api, base]);
  const changes = useResource(() => api.get<{ changes: ProfileChange[] }>(`${base}/changes`, { limit: 20 }), [api, base]);
  const [notice, setNotice] = useState<string | undefined>();
  const refresh = async () => {
    await Promise.all([profile.reload(), changes.reload()]);
  };
  const submitted = (change: ProfileChange) => {
    setNotice(change.state === 'published' ? `Correction published${change.publishedVersion ? ` as version ${change.publishedVersion}` : ''}.` : change.state === 'pending' ? 'Change requested: it waits for approval by an operator.' : `Change ${change.state}.`);
    void refresh();
  };
  return (
    <Page title="Profile" subtitle={`Merchant ${merchantId}`}>
      <p role="status" class={notice ? 'notice notice-ok' : 'visually-hidden'}>
        {notice ?? ''}
      </p>
      <Loaded resource={profile}>
        {(data) => (
          <>
            <div class="grid">
              <Current profile={data} />
              <AdoptionCard profile={data} />
            </div>
            <Pending changes={withDiffs(data.pendingChanges, changes.data?.changes)} base={base} onChanged={refresh} />
            <section class="card" aria-labelledby="correct-heading">
              <h2 id="correct-heading">Correct the profile</h2>
              <ProfileForm key={`${data.current?.version ?? 0}`} merchantId={merchantId} profile={data.current?.profile ?? null} onSubmitted={submitted} />
            </section>
          </>
        )}
      </Loaded>
      <Loaded resource={changes} what="Loading changes">
        {(data) => <History changes={data.changes} />}
      </Loaded>
    </Page>
  );
}

/** The pending changes, each with the diff the change list carries for it (the profile view has none). */
function withDiffs(pending: readonly ProfileChange[], listed: readonly ProfileChange[] | undefined): ProfileChange[] {
  return pending.map((change) => listed?.find((item) => item.id === change.id) ?? change);
}

function Current({ profile }: { profile: MerchantProfile }) {
  const { current } = profile;
  const wire = current?.profile ?? {};
  return (
    <section class="card" aria-labelledby="current-heading">
      <h2 id="current-heading">Current profile</h2>
      <p>
        {current === null ? (
          <span class="muted">Nothing published yet.</span>
        ) : (
          <>
            Version <strong data-testid="profile-version">{current.version}</strong>, in effect since <Time at={current.effectiveAt} />
          </>
        )}
      </p>
      {profile.scheduled.map((item) => (
        <p key={item.version}>
          <Badge tone="info">scheduled</Badge> version {item.version} from <Time at={item.effectiveAt} />
        </p>
      ))}
      <dl class="facts">
        {SHOWN_FIELDS.filter(([key]) => wire[key] !== undefined).map(([key, label]) => (
          <div key={key} class="fact">
            <dt>{label}</dt>
            <dd class={key === 'settlement_account' ? 'mono' : ''}>{describeField(key, wire[key], wire)}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function AdoptionCard({ profile }: { profile: MerchantProfile }) {
  const { applied, total, lagging, laggingTotal } = profile.adoption;
  return (
    <section class="card" aria-labelledby="adoption-heading">
      <h2 id="adoption-heading">On the terminals</h2>
      <p class="adoption" data-testid="adoption">
        Applied on <strong>{formatCount(applied)}</strong> of <strong>{formatCount(total)}</strong> terminal{total === 1 ? '' : 's'}
      </p>
      <StackedBar segments={[{ label: 'applied', value: applied, tone: 'seg-good' }]} total={total} label={`Applied on ${applied} of ${total} terminals`} />
      {lagging.length > 0 && (
        <table class="table compact">
          <caption>Not yet applied{laggingTotal !== undefined && laggingTotal > lagging.length ? ` (first ${lagging.length} of ${laggingTotal})` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">Terminal</th>
              <th scope="col">Has version</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {lagging.map((terminal) => (
              <tr key={terminal.deviceId}>
                <th scope="row">{terminal.terminalId ?? terminal.deviceId}</th>
                <td>{terminal.profileVersion ?? '—'}</td>
                <td>
                  {LAG_REASONS[terminal.reason] ?? terminal.reason}
                  {terminal.code ? <span class="mono small"> {terminal.code}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Pending({ changes, base, onChanged }: { changes: readonly ProfileChange[]; base: string; onChanged: () => Promise<void> }) {
  const { api } = useApp();
  const [error, setError] = useState<string | undefined>();
  if (changes.length === 0) return null;
  const withdraw = async (change: ProfileChange) => {
    setError(undefined);
    try {
      await api.post(`${base}/changes/${encodeURIComponent(change.id)}/withdraw`);
    } catch (caught) {
      setError(describeError(caught));
    }
    await onChanged();
  };
  return (
    <section class="card pending" aria-labelledby="pending-heading">
      <h2 id="pending-heading">Waiting for approval</h2>
      {error && (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      )}
      {changes.map((change) => (
        <article key={change.id} class="change" aria-label={`Change ${change.id}`}>
          <p>
            <StatusBadge status={change.state} /> requested <Time at={change.requestedAt} /> · {change.fields.join(', ')}
            {change.effectiveAt && (
              <>
                {' '}
                · effective <Time at={change.effectiveAt} />
              </>
            )}
          </p>
          {change.diff && <ChangeTable changes={change.diff} />}
          <button type="button" onClick={() => void withdraw(change)}>
            Withdraw
          </button>
        </article>
      ))}
    </section>
  );
}

function History({ changes }: { changes: readonly ProfileChange[] }) {
  return (
    <section class="card" aria-labelledby="history-heading">
      <h2 id="history-heading">Recent changes</h2>
      {changes.length === 0 ? (
        <p class="muted">No changes yet.</p>
      ) : (
        <div class="table-wrap">
          <table class="table compact">
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Fields</th>
                <th scope="col">State</th>
                <th scope="col">Version</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((change) => (
                <tr key={change.id}>
                  <td>
                    <Time at={change.requestedAt} />
                  </td>
                  <td>{change.fields.join(', ')}</td>
                  <td>
                    <StatusBadge status={change.state} />
                    {change.decisionReason && <div class="small muted">{change.decisionReason}</div>}
                  </td>
                  <td>{change.publishedVersion ?? '—'}</td>
                  <td>
                    <Time at={change.decidedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
