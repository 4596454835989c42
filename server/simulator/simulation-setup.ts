/**
 * What a simulation aims at, prepared through the API of a development server (one set up
 * by `steward init --dev`): the operator signs in as `admin`, a new firmware release of the
 * `demo-vendor` is published with the development vendor key (the next patch version above
 * every published one), an enrolment token is issued for the fleet, and a rollout to every
 * terminal of the hardware model is started. Its abort criteria are there for real failures:
 * injected faults must not make terminals fail.
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
  readonly enrolmentToken: string;
  readonly firmwareVersion: string;
  readonly targetPath: string;
  readonly rolloutId: string;
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

export async function prepareTarget(options: PrepareOptions): Promise<SimulationTarget> {
  const credentials = await readDevelopmentCredentials(join(options.dataDir, 'dev-credentials.txt'));
  const operator = await StewardClient.signIn(options.serverUrl, 'admin', credentials.admin);
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
  const runId = randomBytes(3).toString('hex');
  const enrolmentToken = await operator.enrolmentToken({ uses: options.terminals, hardwareModel: options.hardwareModel, label: `simulation ${runId}` });
  const first = Math.max(1, Math.ceil(options.terminals / 10));
  const rolloutId = await operator.startRollout({
    targetPath,
    label: `simulation ${runId}: firmware ${firmwareVersion}`,
    selector: { hardwareModels: [options.hardwareModel] },
    phases: [
      { kind: 'count', value: first, successThreshold: 0.9 },
      { kind: 'percent', value: 100, minAttempted: Math.max(1, Math.min(10, options.terminals - first)) },
    ],
    abort: { minAttempted: Math.max(10, Math.floor(options.terminals / 10)), failureRatio: 0.5 },
    retry: { maxAttempts: 5, backoffSeconds: 30 },
  });
  return { operator, enrolmentToken, firmwareVersion, targetPath, rolloutId, runId };
}
