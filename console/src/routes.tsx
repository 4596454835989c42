/**
 * Every console page: its address, who may open it, and for tenant pages which path
 * parameter must be the user's own merchant or vendor. The check only spares people a page
 * of refusals; the API refuses the data itself (403) whatever the console does.
 */
import type { ComponentChildren } from 'preact';
import type { Role, SessionUser } from './session.js';
import { DeviceListPage } from './pages/device-list.js';
import { EstatePage } from './pages/estate.js';
import { RolloutPage } from './pages/rollout.js';
import { RolloutsPage } from './pages/rollouts.js';
import { TerminalPage } from './pages/terminal.js';
import { VendorReleasesPage, VendorsPage } from './pages/vendor-releases.js';
import { ApprovalsPage } from './pages/approvals.js';
import { AuditPage } from './pages/audit.js';
import { MerchantsPage } from './pages/merchants.js';
import { MerchantTerminalsPage } from './pages/merchant-terminals.js';
import { MerchantProfilePage } from './pages/merchant-profile.js';

export interface RouteDefinition {
  readonly pattern: string;
  readonly roles: readonly Role[];
  /** The path parameter naming the tenant a merchant or vendor user must own. */
  readonly tenant?: 'merchantId' | 'vendorId';
  render(params: Record<string, string>, query: URLSearchParams): ComponentChildren;
}

const p = (params: Record<string, string>, name: string): string => params[name] ?? '';

export const ROUTES: readonly RouteDefinition[] = [
  { pattern: '/console/estate', roles: ['operator'], render: () => <EstatePage /> },
  { pattern: '/console/devices', roles: ['operator'], render: (_, query) => <DeviceListPage query={query} /> },
  { pattern: '/console/devices/:deviceId', roles: ['operator'], render: (params) => <TerminalPage deviceId={p(params, 'deviceId')} /> },
  { pattern: '/console/rollouts', roles: ['operator'], render: (_, query) => <RolloutsPage query={query} /> },
  { pattern: '/console/rollouts/:rolloutId', roles: ['operator'], render: (params) => <RolloutPage rolloutId={p(params, 'rolloutId')} /> },
  { pattern: '/console/approvals', roles: ['operator'], render: () => <ApprovalsPage /> },
  { pattern: '/console/audit', roles: ['operator'], render: (_, query) => <AuditPage query={query} /> },
  { pattern: '/console/merchants', roles: ['operator'], render: () => <MerchantsPage /> },
  { pattern: '/console/merchants/:merchantId', roles: ['operator', 'merchant'], tenant: 'merchantId', render: (params) => <MerchantTerminalsPage merchantId={p(params, 'merchantId')} /> },
  { pattern: '/console/merchants/:merchantId/profile', roles: ['operator', 'merchant'], tenant: 'merchantId', render: (params) => <MerchantProfilePage merchantId={p(params, 'merchantId')} /> },
  { pattern: '/console/vendors', roles: ['operator'], render: () => <VendorsPage /> },
  { pattern: '/console/vendors/:vendorId/releases', roles: ['operator', 'vendor'], tenant: 'vendorId', render: (params) => <VendorReleasesPage vendorId={p(params, 'vendorId')} /> },
];

export type Resolution =
  | { readonly kind: 'page'; readonly route: RouteDefinition; readonly params: Record<string, string> }
  | { readonly kind: 'forbidden'; readonly reason: string }
  | { readonly kind: 'not-found' };

export function resolveRoute(path: string, user: SessionUser, match: (pattern: string, path: string) => Record<string, string> | undefined): Resolution {
  for (const route of ROUTES) {
    const params = match(route.pattern, path);
    if (!params) continue;
    if (!route.roles.includes(user.role)) return { kind: 'forbidden', reason: `This page is for ${route.roles.join(' or ')} users.` };
    if (route.tenant && user.role !== 'operator' && params[route.tenant] !== user.tenantId) {
      return { kind: 'forbidden', reason: route.tenant === 'merchantId' ? 'This page belongs to another merchant.' : 'This page belongs to another vendor.' };
    }
    return { kind: 'page', route, params };
  }
  return { kind: 'not-found' };
}
