/**
 * What a simulation aims at, prepared through the API of a development server (one set up
 * by `steward init --dev`):
 *
 * - the operator signs in as `admin` (and `admin2`, the second person maker-checker needs);
 * - a merchant `sim-<run>` with a full parameter profile (its settlement account makes the
 *   change sensitive: `admin` requests, `admin2` approves), so terminals enrolled with the
 *   run's token get a profile (their serial is their TID);
 * - a new firmware release of the `demo-vendor`, published with the development vendor key
 *   (the next patch version above every published one), and a rollout to every terminal of
 *   the hardware model. Its abort criteria are there for real failures: injected faults must
 *   not make terminals fail.
 *
 * `correctProfile` later publishes a non-sensitive correction (a new version at once), so
 * profiles are delivered under faults too.
 *
 * @example
 * const target = await prepareTarget({ serverUrl, dataDir: './data', terminals: 50, hardwareModel: 't100', imageBytes: 65536, workDir });
 * target.firmwareVersion; // '1.0.1'
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import semver from 'semver';
import { readDevelopmentCredentials } from '../cli/commands/dev-credentials.js';
import { DEV_VENDOR } from '../cli/commands/dev-setup.js';
import { StewardClient } from './steward-client.js';

export interface SimulationTarget {
  readonly operator: StewardClient;
  readonly merchantId: string;
  readonly enrolmentToken: string;
  readonly firmwareVersion: string;
  readonly targetPath: string;
  readonly rolloutId: string;
  /** The merchant's profile version once set up. */
  readonly profileVersion: number;
  /** Unique per run: terminal serials start with it. */
  readonly runId: string;
}

export interface PrepareOptions {
  readonly serverUrl: string;
  /** The development data directory (dev-credentials.txt, dev-offline-keys/). */
  readonly dataDir: string;
  readonly terminals: number;
  readonly hardwareModel: string;
  readonly imageBytes: number;
  /** Where the image file is written before it is published. */
  readonly workDir: string;
}

export const FACTORY_VERSION = '1.0.0';

interface Change {
  readonly id: string;
  readonly state: string;
  readonly publishedVersion?: number | null;
}

export async function prepareTarget(options: PrepareOptions): Promise<SimulationTarget> {
  const credentials = await readDevelopmentCredentials(join(options.dataDir, 'dev-credentials.txt'));
  const operator = await StewardClient.signIn(options.serverUrl, 'admin', credentials.admin);
  const checker = await StewardClient.signIn(options.serverUrl, 'admin2', credentials.admin2);
  const runId = randomBytes(3).toString('hex');

  const merchantId = `sim-${runId}`;
  await operator.request('POST', '/v1/merchants', { id: merchantId, name: `Simulated merchant ${runId}` });
  const requested = await operator.request<Change>('POST', `/v1/merchants/${merchantId}/profile/changes`, { layer: 'merchant', patch: simulatedProfile(runId) });
  const approved = await checker.request<Change>('POST', `/v1/profile-changes/${requested.id}/approve`);
  if (approved.state !== 'published' || typeof approved.publishedVersion !== 'number') throw new Error(`the simulated merchant's profile was not published: ${JSON.stringify(approved)}`);

  const vendor = await operator.vendorToken(DEV_VENDOR);
  const published = await vendor.releaseVersions(DEV_VENDOR);
  const highest = published.filter((version) => semver.valid(version) !== null).sort(semver.rcompare)[0] ?? FACTORY_VERSION;
  const firmwareVersion = semver.inc(highest, 'patch') ?? '1.0.1';
  const targetPath = await vendor.publishRelease({
    vendorId: DEV_VENDOR,
    keyFile: join(options.dataDir, 'dev-offline-keys', `${DEV_VENDOR}.pem`),
    workDir: options.workDir,
    version: firmwareVersion,
    hardwareModel: options.hardwareModel,
    bytes: randomBytes(options.imageBytes),
    notes: 'fleet simulator',
  });
  const enrolmentToken = await operator.enrolmentToken({ uses: options.terminals, hardwareModel: options.hardwareModel, merchantId, label: `simulation ${runId}` });
  const first = Math.max(1, Math.ceil(options.terminals / 10));
  const rolloutId = await operator.startRollout({
    targetPath,
    label: `simulation ${runId}: firmware ${firmwareVersion}`,
    selector: { hardwareModels: [options.hardwareModel], merchantIds: [merchantId] },
    phases: [
      { kind: 'count', value: first, successThreshold: 0.9 },
      { kind: 'percent', value: 100, minAttempted: Math.max(1, Math.min(10, options.terminals - first)) },
    ],
    abort: { minAttempted: Math.max(10, Math.floor(options.terminals / 10)), failureRatio: 0.5 },
    retry: { maxAttempts: 5, backoffSeconds: 30 },
  });
  return { operator, merchantId, enrolmentToken, firmwareVersion, targetPath, rolloutId, profileVersion: approved.publishedVersion, runId };
}

/** A non-sensitive correction (the receipt header): published at once; returns the new version. */
export async function correctProfile(target: SimulationTarget, line: string): Promise<number> {
  const change = await target.operator.request<Change>('POST', `/v1/merchants/${target.merchantId}/profile/changes`, { layer: 'merchant', patch: { receipt_header: [`Simulated merchant ${target.runId}`, line] } });
  if (change.state !== 'published' || typeof change.publishedVersion !== 'number') throw new Error(`the correction was not published: ${JSON.stringify(change)}`);
  return change.publishedVersion;
}

/** A complete merchant layer (wire form) with a test IBAN. */
function simulatedProfile(runId: string): Record<string, unknown> {
  return {
    merchant_name: `Simulated merchant ${runId}`,
    receipt_header: [`Simulated merchant ${runId}`, 'Fleet simulator'],
    mcc: '5812',
    currency: 'EUR',
    time_zone: 'Europe/Paris',
    fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 120, cap_minor: 500, fixed_minor: 5 } },
    settlement_account: { type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' },
    limits: { max_transaction_minor: 500000, max_refund_minor: 100000 },
  };
}
