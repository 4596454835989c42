/**
 * What the terminal application provides to the agent: the update hooks of the state
 * machine (`canInstallNow`, `healthCheck`, `reboot`; docs/device-install.md "Host hooks") and
 * the health report sent with every check-in (protocol.md section 3).
 *
 * @example
 * const host: AgentHost = {
 *   canInstallNow: () => !payments.inTransaction(),
 *   healthCheck: async (signal) => (await selfTest(signal)).ok,
 *   reboot: () => system.reboot(),
 *   health: () => ({ power: { source: 'mains' }, network: { type: 'ethernet' }, uptimeSeconds: os.uptime() }),
 * };
 */
import type { UpdateHost } from '../update/index.js';

/** protocol.md section 3 `health`; every field optional, the terminal sends what it knows. */
export interface HealthReport {
  readonly power?: { readonly source: 'battery' | 'mains' | string; readonly batteryPercent?: number; readonly charging?: boolean };
  readonly network?: { readonly type: 'cellular' | 'wifi' | 'ethernet' | string; readonly signalDbm?: number };
  readonly printer?: { readonly paper: 'ok' | 'low' | 'out' | string };
  readonly selfTest?: { readonly keypad: 'ok' | 'fail' | string; readonly screen: 'ok' | 'fail' | string };
  readonly freeStorageBytes?: number;
  readonly lastTransactionError?: string | null;
  readonly uptimeSeconds?: number;
}

export interface AgentHost extends UpdateHost {
  /** The health part of the next check-in. */
  health(): HealthReport | Promise<HealthReport>;
  /** The parameter profile version in force, when the terminal applies profiles. */
  profileVersion?(): number | undefined | Promise<number | undefined>;
}
