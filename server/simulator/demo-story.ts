/**
 * The story `npm run demo` tells against a development server (`npm start`), in real time
 * with simulated terminals (SimFleet: real SDK agents, no injected faults):
 *
 * 1. the two development operators sign in (maker and checker);
 * 2. a merchant and its parameter profile: the operator default (if there is none yet) and
 *    the merchant layer, each requested by `admin` and approved by `admin2`;
 * 3. the vendor publishes firmware 1.1.0; 50 terminals enrol and apply the profile;
 * 4. a staged rollout takes them to 1.1.0 (5 terminals, half, all);
 * 5. the vendor publishes 1.2.0, on which the payment application does not start; its
 *    rollout is halted by its abort criteria and the terminals that tried it roll back;
 * 6. the merchant's clerk corrects the settlement account; it waits for an operator;
 * 7. `admin2` approves; every terminal applies the new profile;
 * 8. a summary table and the console URL. `ok` is false when an outcome differs.
 *
 * @example
 * const result = await runDemo({ serverUrl, dataDir: './data', workDir, out: process.stdout, err: process.stderr });
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { OutputStream } from '../cli/cli-io.js';
import { readDevelopmentCredentials } from '../cli/commands/dev-credentials.js';
import { DEV_VENDOR } from '../cli/commands/dev-setup.js';
import { Narrator } from './demo-narrator.js';
import { Dice } from './dice.js';
import { SimFleet } from './sim-fleet.js';
import { StewardClient, type RolloutView } from './steward-client.js';

export interface DemoOptions {
  readonly serverUrl: string;
  readonly dataDir: string;
  /** Terminal state directories. */
  readonly workDir: string;
  readonly out: OutputStream;
  readonly err: OutputStream;
  readonly terminals?: number;
}

export interface DemoResult {
  readonly ok: boolean;
  readonly rows: readonly (readonly [string, string])[];
}

const HARDWARE = 't100';
const GOOD = '1.1.0';
const FAULTY = '1.2.0';
const NEW_IBAN = 'DE89370400440532013000';
const MINUTE = 60_000;

interface Change {
  readonly id: string;
  readonly state: string;
  readonly publishedVersion?: number | null;
}

interface ProfileView {
  readonly current: { readonly version: number; readonly profile: Record<string, unknown> } | null;
  readonly adoption: { readonly version: number | null; readonly applied: number; readonly total: number };
}

export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const size = options.terminals ?? 50;
  const say = new Narrator(options.out, options.err);
  const run = randomBytes(2).toString('hex');
  const checks: boolean[] = [];
  const expect = (condition: boolean): boolean => (checks.push(condition), condition);
  say.title(`Steward demo against ${options.serverUrl}`);

  say.step('Two operators sign in: admin (maker) and admin2 (checker)');
  const credentials = await readDevelopmentCredentials(join(options.dataDir, 'dev-credentials.txt'));
  const admin = await StewardClient.signIn(options.serverUrl, 'admin', credentials.admin);
  const admin2 = await StewardClient.signIn(options.serverUrl, 'admin2', credentials.admin2);
  say.note('credentials from the development setup (data/dev-credentials.txt)');

  say.step('A merchant and its parameter profile (maker-checker: admin requests, admin2 approves)');
  const defaults = await admin.request<{ current: unknown }>('GET', '/v1/profiles/default');
  if (defaults.current === null) {
    const change = await admin.request<Change>('PUT', '/v1/profiles/default', { patch: DEFAULT_LAYER });
    await admin2.request<Change>('POST', `/v1/profile-changes/${change.id}/approve`);
    say.note('operator default: EUR, Europe/Paris, limits and fee rates (fees are sensitive: approved by admin2)');
  } else {
    say.note('operator default: kept as it is');
  }
  const merchantId = `cafe-lumen-${run}`;
  await admin.request('POST', '/v1/merchants', { id: merchantId, name: 'Cafe Lumen' });
  const requested = await admin.request<Change>('POST', `/v1/merchants/${merchantId}/profile/changes`, { layer: 'merchant', patch: MERCHANT_LAYER });
  say.note(`merchant ${merchantId}: name, receipt header, MCC 5812 and settlement account: ${requested.state}`);
  const first = await admin2.request<Change>('POST', `/v1/profile-changes/${requested.id}/approve`);
  const firstVersion = first.publishedVersion ?? 0;
  say.note(`approved by admin2: profile v${firstVersion} published`);

  say.step(`The vendor ${DEV_VENDOR} publishes firmware ${GOOD}, signed with its own release key`);
  const vendor = await admin.vendorToken(DEV_VENDOR);
  const keyFile = join(options.dataDir, 'dev-offline-keys', `${DEV_VENDOR}.pem`);
  const publish = (version: string, notes: string): Promise<string> =>
    vendor.publishRelease({ vendorId: DEV_VENDOR, keyFile, workDir: join(options.workDir, 'images'), version, hardwareModel: HARDWARE, bytes: imageOf(version), notes });
  const goodPath = await publish(GOOD, 'faster EMV kernel');
  say.note(`published ${goodPath}`);

  say.step(`${size} terminals power on, enrol and apply profile v${firstVersion}`);
  const rolledBack = new Set<string>();
  let faultyPath = '';
  const enrolmentToken = await admin.enrolmentToken({ uses: size, hardwareModel: HARDWARE, merchantId, label: `demo ${run}` });
  const fleet = await SimFleet.provision({
    size,
    directory: join(options.workDir, 'terminals'),
    serverUrl: options.serverUrl,
    enrolment: (index) => ({ kind: 'token', token: enrolmentToken, serial: `DEMO-${run}-${String(index + 1).padStart(3, '0')}`, hardwareModel: HARDWARE }),
    healthy: (version) => version !== FAULTY, // the payment application does not start on 1.2.0
    factoryVersion: '1.0.0',
    dice: new Dice(Number.parseInt(run, 16)),
    powerCutRate: () => 0,
    powerOffMaxMs: 1_000,
    onEvent: (terminal, event) => {
      if (event.kind === 'rolled-back' && event.targetPath === faultyPath) rolledBack.add(terminal.serial);
    },
  });
  try {
    void fleet.start({ perSecond: 25 });
    const status = () => fleet.status();
    const enrolled = await say.progress('enrolled', size, async () => (await status()).enrolled, { timeoutMs: 3 * MINUTE });
    const onFirstProfile = await say.progress(`profile v${firstVersion} applied`, size, async () => (await status()).profiles[String(firstVersion)] ?? 0, { timeoutMs: 3 * MINUTE });

    say.step(`A staged rollout of ${GOOD}: 5 terminals, then half, then all (advancing on success)`);
    const goodRollout = await admin.startRollout({
      targetPath: goodPath,
      label: `demo ${run}: firmware ${GOOD}`,
      selector: { hardwareModels: [HARDWARE], merchantIds: [merchantId] },
      phases: [{ kind: 'count', value: 5 }, { kind: 'percent', value: 50, minAttempted: 5 }, { kind: 'percent', value: 100, minAttempted: 5 }],
    });
    let good: RolloutView | undefined;
    const phases: string[] = [];
    const onGood = await say.progress(`terminals on ${GOOD}`, size, async () => {
      good = await admin.rollout(goodRollout);
      const label = `phase ${good.currentPhase + 1}`;
      if (good.status === 'active' && phases.at(-1) !== label) phases.push(label);
      return (await status()).versions[GOOD] ?? 0;
    }, { timeoutMs: 10 * MINUTE, done: (value) => value >= size && good?.status === 'completed' });
    say.note(`rollout ${good?.status}: ${good?.phases.map((phase) => `phase ${phase.index + 1} ${phase.succeeded}/${phase.admitted}`).join(', ')}`);

    say.step(`The vendor publishes ${FAULTY}: the payment application does not start on it`);
    faultyPath = await publish(FAULTY, 'new receipt layout');
    const faultyRollout = await admin.startRollout({
      targetPath: faultyPath,
      label: `demo ${run}: firmware ${FAULTY}`,
      selector: { hardwareModels: [HARDWARE], merchantIds: [merchantId] },
      phases: [{ kind: 'count', value: 5 }, { kind: 'percent', value: 100 }],
      abort: { minAttempted: 3, failureRatio: 0.5 },
    });
    say.note('rollout with abort criteria: halt once 3 terminals attempted and half of them failed');
    let faulty: RolloutView | undefined;
    await say.progress('failures towards the abort threshold', 3, async () => {
      faulty = await admin.rollout(faultyRollout);
      return faulty.totals.failed;
    }, { timeoutMs: 5 * MINUTE, done: () => faulty?.status !== 'active' });
    say.note(`rollout ${faulty?.status}: ${faulty?.totals.failed} failed of ${faulty?.totals.attempted} attempted, ${faulty?.totals.succeeded} succeeded`);
    const settled = await say.until('the terminals that tried it rolled back', async () => {
      const now = await status();
      return (now.versions[FAULTY] ?? 0) === 0 && now.trialPending === 0 && (now.versions[GOOD] ?? 0) === size && rolledBack.size >= (faulty?.totals.failed ?? 0) ? now : undefined;
    }, { timeoutMs: 5 * MINUTE });
    say.note(`${rolledBack.size} terminals tried ${FAULTY}, failed their health check and rolled back to ${GOOD}; ${settled.versions[GOOD] ?? 0} run ${GOOD}`);

    say.step('The merchant finds its settlement account wrong and corrects it');
    const clerkPassword = randomBytes(18).toString('base64url');
    await admin.request('POST', `/v1/merchants/${merchantId}/users`, { username: `clerk-${run}`, password: clerkPassword });
    const clerk = await StewardClient.signIn(options.serverUrl, `clerk-${run}`, clerkPassword);
    const before = await clerk.request<ProfileView>('GET', `/v1/merchants/${merchantId}/profile`);
    say.note(`the clerk sees ${describeAccount(before.current?.profile)} (masked: account numbers never leave the server in full)`);
    const correction = await clerk.request<Change & { diff?: { path: string; before: unknown; after: unknown }[] }>('POST', `/v1/merchants/${merchantId}/profile/changes`, {
      layer: 'merchant',
      patch: { settlement_account: { type: 'iban', iban: NEW_IBAN, bic: 'COBADEFFXXX' } },
    });
    say.note(`proposed ${correction.diff?.find((entry) => entry.path.endsWith('iban'))?.after ?? 'a new account'}: ${correction.state} (a settlement account needs a second person)`);
    const stillFirst = (await status()).profiles[String(firstVersion)] ?? 0;
    say.note(`meanwhile terminals keep profile v${firstVersion}: ${stillFirst} / ${size}`);

    say.step('admin2 approves; the terminals fetch, verify and apply the new profile');
    const approved = await admin2.request<Change>('POST', `/v1/profile-changes/${correction.id}/approve`);
    const secondVersion = approved.publishedVersion ?? 0;
    say.note(`profile v${secondVersion} published`);
    let adoption: ProfileView['adoption'] | undefined;
    const onSecond = await say.progress(`profile v${secondVersion} applied`, size, async () => {
      adoption = (await admin.request<ProfileView>('GET', `/v1/merchants/${merchantId}/profile`)).adoption;
      return (await status()).profiles[String(secondVersion)] ?? 0;
    }, { timeoutMs: 5 * MINUTE, done: (value) => value >= size && adoption?.applied === size });

    const rows: [string, string][] = [
      ['terminals enrolled', `${enrolled} / ${size}`],
      [`profile v${firstVersion} (set up with maker-checker)`, `applied on ${onFirstProfile} / ${size}`],
      [`firmware ${GOOD} (staged rollout)`, `${good?.status}; ${onGood} / ${size} terminals run ${GOOD}`],
      [`firmware ${FAULTY} (faulty)`, `${faulty?.status} by its abort criteria (${faulty?.totals.failed} failed of ${faulty?.totals.attempted} attempted); ${rolledBack.size} terminals rolled back; ${settled.versions[FAULTY] ?? 0} run ${FAULTY}`],
      ['settlement account correction', `requested by the merchant (${correction.state}), approved by admin2: profile v${secondVersion}`],
      [`profile v${secondVersion} applied`, `${onSecond} / ${size} terminals (server: applied on ${adoption?.applied} of ${adoption?.total})`],
    ];
    expect(enrolled === size && onFirstProfile === size);
    expect(good?.status === 'completed' && onGood === size);
    expect(faulty?.status === 'aborted' && rolledBack.size >= 3 && (settled.versions[FAULTY] ?? 0) === 0);
    expect(correction.state === 'pending' && stillFirst === size && approved.state === 'published' && secondVersion > firstVersion);
    expect(onSecond === size && adoption?.applied === size && adoption.total === size);
    const ok = checks.every(Boolean);
    say.summary(rows, [
      '',
      ok ? 'Every outcome is as expected.' : 'NOT AS EXPECTED: see the rows above.',
      `Console: ${options.serverUrl}/console  (sign in as admin; password in ${join(options.dataDir, 'dev-credentials.txt')})`,
      `Look at merchant ${merchantId}, the rollouts "demo ${run}: ..." and the approval history.`,
    ]);
    return { ok, rows };
  } finally {
    await fleet.stop();
  }
}

const DEFAULT_LAYER = {
  currency: 'EUR',
  time_zone: 'Europe/Paris',
  fees: { debit: { rate_bps: 30 }, credit: { rate_bps: 120, cap_minor: 500, fixed_minor: 5 } },
  limits: { max_transaction_minor: 500000, max_refund_minor: 100000 },
};

const MERCHANT_LAYER = {
  merchant_name: 'Cafe Lumen',
  receipt_header: ['Cafe Lumen', '12 Rue de la Paix, Paris'],
  mcc: '5812',
  settlement_account: { type: 'iban', iban: 'FR7630006000011234567890189', bic: 'BNPAFRPP' },
};

/** The same bytes for a version on every run, so publishing it again changes nothing. */
function imageOf(version: string): Buffer {
  const block = createHash('sha256').update(`demo firmware ${version}`).digest();
  return Buffer.concat(Array.from({ length: 2048 }, () => block)); // 64 KiB
}

function describeAccount(profile: Record<string, unknown> | undefined): string {
  const account = profile?.['settlement_account'] as { iban?: string; bic?: string } | undefined;
  return account?.iban ? `IBAN ${account.iban}${account.bic ? ` (${account.bic})` : ''}` : 'no account';
}
