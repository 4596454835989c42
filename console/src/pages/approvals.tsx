/**
 * The approval queue (GET /v1/profile-changes?state=pending): sensitive profile changes with
 * their masked diff, approved or rejected by an operator other than the one who asked. The
 * server enforces maker-checker; the page only says in advance when the signed-in operator
 * is the requester.
 */
import { useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.js';
import type { ProfileChange } from '../api/profile-types.js';
import { useApp, useSession } from '../app-context.js';
import { ChangeTable } from '../components/json-change.js';
import { Link } from '../components/link.js';
import { Loaded } from '../components/page-state.js';
import { Page } from '../components/page.js';
import { ShortId } from '../components/short-id.js';
import { Badge } from '../components/status-badge.js';
import { Time } from '../components/time.js';
import { useResource } from '../hooks/use-resource.js';

const REFUSALS: Readonly<Record<string, string>> = {
  STW_PROFILE_SELF_APPROVAL: 'You asked for this change: another operator must approve it.',
  STW_PROFILE_APPROVER_REQUIRED: 'Only a signed-in operator (not an API token) can approve.',
  STW_PROFILE_CHANGE_STATE: 'This change was decided or withdrawn meanwhile.',
  STW_PROFILE_INVALID: 'The change no longer validates against the current profile.',
};

export function ApprovalsPage() {
  const { api } = useApp();
  const queue = useResource(() => api.get<{ changes: ProfileChange[] }>('/v1/profile-changes', { state: 'pending' }), [api]);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | undefined>();
  return (
    <Page title="Approvals">
      <p role="status" class={message ? `notice notice-${message.tone}` : 'visually-hidden'}>
        {message?.text ?? ''}
      </p>
      <Loaded resource={queue}>
        {(data) =>
          data.changes.length === 0 ? (
            <p class="muted">Nothing waits for approval.</p>
          ) : (
            <>
              {data.changes.map((change) => (
                <PendingChange
                  key={change.id}
                  change={change}
                  onDecided={async (text, tone) => {
                    setMessage({ text, tone });
                    await queue.reload();
                  }}
                />
              ))}
            </>
          )
        }
      </Loaded>
    </Page>
  );
}

function PendingChange({ change, onDecided }: { change: ProfileChange; onDecided: (text: string, tone: 'ok' | 'error') => Promise<void> }) {
  const { api } = useApp();
  const { user } = useSession();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const own = change.requestedBy === user.id || change.requestedBy === `user:${user.id}`;
  const target = change.merchantId === null ? 'the operator default' : change.layer === 'merchant' ? `merchant ${change.merchantId}` : `merchant ${change.merchantId}, ${change.layer.replace(':', ' ')}`;

  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    try {
      const result = await api.post<ProfileChange>(`/v1/profile-changes/${encodeURIComponent(change.id)}/${decision}`, decision === 'reject' ? { reason } : {});
      await onDecided(decision === 'approve' ? `Approved: ${target} ${result.publishedVersion ? `is now at version ${result.publishedVersion}` : 'will publish at its effective time'}.` : `Rejected the change to ${target}.`, 'ok');
    } catch (error) {
      await onDecided(error instanceof ApiError ? (REFUSALS[error.code] ?? error.message) : describeError(error), 'error');
    } finally {
      setBusy(false);
    }
  };

  const reasonId = `reason-${change.id}`;
  return (
    <article class="card change" aria-labelledby={`title-${change.id}`}>
      <h2 id={`title-${change.id}`}>
        {change.merchantId ? <Link href={`/console/merchants/${encodeURIComponent(change.merchantId)}/profile`}>{target}</Link> : target}
      </h2>
      <p>
        <Badge tone="warn">pending</Badge> {change.fields.join(', ')} · requested by <ShortId id={change.requestedBy} /> <Time at={change.requestedAt} />
        {change.effectiveAt && (
          <>
            {' '}
            · effective <Time at={change.effectiveAt} />
          </>
        )}
        {own && <Badge tone="info">your request</Badge>}
      </p>
      {change.diff ? <ChangeTable changes={change.diff} caption="What it changes (account numbers masked)" /> : <p class="muted">No diff available.</p>}
      <div class="decision">
        <div class="field">
          <label for={reasonId}>Reason (for a rejection)</label>
          <input id={reasonId} value={reason} onInput={(event) => setReason(event.currentTarget.value)} maxLength={500} />
        </div>
        <div class="actions">
          <button type="button" class="primary" onClick={() => void decide('approve')} disabled={busy || own} {...(own ? { title: 'Another operator must approve your own request' } : {})}>
            Approve
          </button>
          <button type="button" class="danger" onClick={() => void decide('reject')} disabled={busy || reason.trim() === ''}>
            Reject
          </button>
        </div>
      </div>
    </article>
  );
}
