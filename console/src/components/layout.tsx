/** The frame around every signed-in page: a skip link, the header with the role's navigation, the main region. */
import type { ComponentChildren } from 'preact';
import { useApp } from '../app-context.js';
import type { SessionUser } from '../session.js';
import { Link } from './link.js';

interface NavItem {
  readonly href: string;
  readonly label: string;
}

export function navigationFor(user: SessionUser): NavItem[] {
  const tenant = encodeURIComponent(user.tenantId ?? '');
  switch (user.role) {
    case 'operator':
      return [
        { href: '/console/estate', label: 'Estate' },
        { href: '/console/devices', label: 'Terminals' },
        { href: '/console/rollouts', label: 'Rollouts' },
        { href: '/console/approvals', label: 'Approvals' },
        { href: '/console/audit', label: 'Audit log' },
        { href: '/console/merchants', label: 'Merchants' },
        { href: '/console/vendors', label: 'Vendors' },
      ];
    case 'merchant':
      return [
        { href: `/console/merchants/${tenant}`, label: 'Terminals' },
        { href: `/console/merchants/${tenant}/profile`, label: 'Profile' },
      ];
    case 'vendor':
      return [{ href: `/console/vendors/${tenant}/releases`, label: 'Releases' }];
  }
}

export function Layout({ user, path, children }: { user: SessionUser; path: string; children: ComponentChildren }) {
  const { signOut } = useApp();
  const items = navigationFor(user);
  // The longest nav entry the path starts with is the current one.
  const currentHref = items.map((item) => item.href).filter((href) => path === href || path.startsWith(`${href}/`)).sort((a, b) => b.length - a.length)[0];
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="site-header">
        <div class="brand">
          <Link href="/console">Steward</Link>
          <span class="who">
            {user.username} · {user.role}
            {user.tenantId ? ` ${user.tenantId}` : ''}
          </span>
        </div>
        <nav aria-label="Main">
          <ul>
            {items.map((item) => (
              <li key={item.href}>
                <Link href={item.href} {...(item.href === currentHref ? { 'aria-current': 'page' as const } : {})}>
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <button type="button" class="sign-out" onClick={() => void signOut()}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
