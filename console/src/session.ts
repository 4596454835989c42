/**
 * The signed-in user: the session token from POST /v1/sessions and who it speaks for, kept
 * in sessionStorage (one tab, gone when the tab closes; never in localStorage or a cookie).
 *
 * @example
 * saveSession({ token, expiresAt, user });
 * loadSession()?.user.role; // 'operator'
 */
export type Role = 'operator' | 'merchant' | 'vendor';

export interface SessionUser {
  readonly id: string;
  readonly username: string;
  readonly role: Role;
  readonly tenantId: string | null;
}

export interface Session {
  readonly token: string;
  readonly expiresAt: string;
  readonly user: SessionUser;
}

const KEY = 'steward.session';

export function loadSession(now = Date.now()): Session | undefined {
  try {
    const text = sessionStorage.getItem(KEY);
    if (text === null) return undefined;
    const session = JSON.parse(text) as Session;
    if (typeof session.token !== 'string' || Date.parse(session.expiresAt) <= now) {
      clearSession();
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

/** The page a user lands on after signing in. */
export function homePath(user: SessionUser): string {
  switch (user.role) {
    case 'operator':
      return '/console/estate';
    case 'merchant':
      return `/console/merchants/${encodeURIComponent(user.tenantId ?? '')}`;
    case 'vendor':
      return `/console/vendors/${encodeURIComponent(user.tenantId ?? '')}/releases`;
  }
}
