/**
 * Who may do what with a profile change (maker-checker):
 *
 * - A sensitive change (settlement account, fees) is requested by a named person: a session of
 *   a user. An API token belongs to nobody in particular (whoever holds it could also be the
 *   approver), so it may only make changes that publish directly.
 * - Approval and rejection: only a signed-in operator user (an API token cannot), who is not
 *   the requester (two tokens of one user are one person) and did not create the requester's
 *   account (they chose its first password, so they could have signed in as it).
 * - Withdrawal: the requester, or another user of the same merchant for a merchant's request.
 *
 * @example
 * await assertMayDecide(db, principal, change); // STW_PROFILE_APPROVER_REQUIRED / STW_PROFILE_SELF_APPROVAL
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/tokens.js';
import type { Database } from '../db/schema.js';
import { stewardError } from '../errors.js';

export interface ChangeParties {
  readonly merchantId: string | null;
  /** `user:<id>` or `token:<id>`. */
  readonly requestedBy: string;
}

function userIdOf(actor: string): string | undefined {
  return actor.startsWith('user:') ? actor.slice('user:'.length) : undefined;
}

export function assertMayRequest(principal: Principal, sensitive: boolean): void {
  if (sensitive && principal.userId === undefined) {
    throw stewardError('STW_PROFILE_REQUESTER_REQUIRED', 'a change to the settlement account or fees is requested by a signed-in user, not an API token');
  }
}

export async function assertMayDecide(db: Kysely<Database>, principal: Principal, change: ChangeParties): Promise<void> {
  const approverId = principal.userId;
  if (principal.scope.kind !== 'operator' || approverId === undefined) throw stewardError('STW_PROFILE_APPROVER_REQUIRED', 'a change is decided by a signed-in operator user');
  const approver = await db.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', approverId).executeTakeFirst();
  if (!approver || approver.role !== 'operator' || approver.disabled_at !== null) throw stewardError('STW_PROFILE_APPROVER_REQUIRED', 'a change is decided by a signed-in operator user');
  const requesterId = userIdOf(change.requestedBy);
  if (requesterId === undefined) throw stewardError('STW_PROFILE_APPROVER_REQUIRED', 'the change has no named requester to check the approver against');
  if (requesterId === approverId) throw stewardError('STW_PROFILE_SELF_APPROVAL', 'the requester cannot decide their own change');
  const requester = await db.selectFrom('users').select(['created_by']).where('id', '=', requesterId).executeTakeFirst();
  if (requester?.created_by === approverId) throw stewardError('STW_PROFILE_SELF_APPROVAL', 'the approver created the requesting account');
}

export async function assertMayWithdraw(db: Kysely<Database>, principal: Principal, change: ChangeParties): Promise<void> {
  if (principal.actor === change.requestedBy) return;
  const requesterId = userIdOf(change.requestedBy);
  if (principal.userId !== undefined && principal.userId === requesterId) return;
  if (principal.scope.kind === 'merchant' && change.merchantId === principal.scope.merchantId && requesterId !== undefined) {
    const requester = await db.selectFrom('users').select(['role', 'tenant_id']).where('id', '=', requesterId).executeTakeFirst();
    if (requester?.role === 'merchant' && requester.tenant_id === change.merchantId) return;
  }
  throw stewardError('STW_AUTH_FORBIDDEN', 'only the requester (or their merchant) may withdraw a change');
}
