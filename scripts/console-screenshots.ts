/**
 * Screenshots of the console's main pages for the docs: starts a seeded server (the same
 * world as the browser tests, test/helpers/console-world.ts), signs in as each role in
 * chromium and saves PNGs under docs/screenshots/, on a laptop viewport and, for a few
 * pages, a phone. Needs /usr/bin/chromium (.ci/install-chromium.sh).
 *
 * @example
 * npx tsx scripts/console-screenshots.ts            # -> docs/screenshots/*.png
 * npx tsx scripts/console-screenshots.ts /tmp/shots
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Test } from 'tap';
import { LAPTOP, PHONE, launchBrowser, openPage, signIn } from '../test/helpers/console-browser.js';
import { startConsoleWorld, type ConsoleWorld, type Person } from '../test/helpers/console-world.js';
import { NEW_IBAN, seedMerchants, type MerchantWorld } from '../test/helpers/console-merchants.js';
import { expectOk } from '../test/helpers/server-harness.js';
import { PACKAGE_ROOT } from './build-console.js';

interface Shot {
  readonly name: string;
  readonly who: (world: ConsoleWorld, merchants: MerchantWorld) => Person;
  readonly path: (world: ConsoleWorld, merchants: MerchantWorld) => string;
  /** Wait for this text before the picture. */
  readonly ready: string;
  /** Do something first (type into a form, open a section). */
  readonly before?: (page: Page) => Promise<void>;
  readonly phone?: boolean;
}

const SHOTS: readonly Shot[] = [
  { name: 'estate', who: (w) => w.people.maker, path: () => '/console/estate', ready: 'Active terminals by model and firmware version', phone: true },
  { name: 'terminal', who: (w) => w.people.maker, path: (w) => `/console/devices/${w.terminals[1]!.terminal.deviceId}`, ready: 'Health history' },
  { name: 'rollout', who: (w) => w.people.maker, path: (w) => `/console/rollouts/${w.rolloutId}`, ready: 'Failure ratio', phone: true },
  { name: 'approvals', who: (w) => w.people.checker, path: () => '/console/approvals', ready: 'What it changes' },
  { name: 'audit', who: (w) => w.people.maker, path: () => '/console/audit', ready: 'Chain verified' },
  {
    name: 'merchant-profile',
    who: (_, m) => m.staff,
    path: (_, m) => `/console/merchants/${m.merchantId}/profile`,
    ready: 'Correct the profile',
    before: async (page) => {
      await page.getByLabel('IBAN', { exact: true }).fill('FR7630006000011234567890188');
      await page.locator('#field-iban-error').waitFor();
      await page.evaluate("document.getElementById('field-iban').scrollIntoView({ block: 'center' })");
    },
    phone: true,
  },
  { name: 'merchant-terminals', who: (_, m) => m.staff, path: (_, m) => `/console/merchants/${m.merchantId}`, ready: 'Applied on' },
  { name: 'vendor-releases', who: (w) => w.people.vendor, path: () => '/console/vendors/acme/releases', ready: 'adoption per version' },
];

async function main(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const cleanups: (() => unknown)[] = [];
  const t = { teardown: (fn: () => unknown) => cleanups.push(fn) } as unknown as Test;
  try {
    const world = await startConsoleWorld(t);
    const merchants = await seedMerchants(world);
    await merchantActivity(world, merchants);
    const browser = await launchBrowser(t);
    for (const shot of SHOTS) {
      await take(t, browser, world, merchants, shot, 'laptop', outDir);
      if (shot.phone) await take(t, browser, world, merchants, shot, 'phone', outDir);
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** A receipt correction published and applied on two of three terminals; a new account waiting for approval. */
async function merchantActivity(world: ConsoleWorld, merchants: MerchantWorld): Promise<void> {
  const token = await merchants.sessionOf(merchants.staff);
  const base = `/v1/merchants/${merchants.merchantId}/profile/changes`;
  world.advance(3600);
  expectOk(await merchants.as(token, 'POST', base, { layer: 'merchant', patch: { receipt_header: ['Cafe Lumen', '14 Rue de la Paix', '75002 Paris'] } }), 'receipt correction');
  await merchants.applyProfiles(merchants.terminals.slice(0, 2));
  world.advance(600);
  expectOk(await merchants.as(token, 'POST', base, { layer: 'merchant', patch: { settlement_account: { type: 'iban', iban: NEW_IBAN } } }), 'account change');
  await world.refresh();
}

async function take(t: Test, browser: Browser, world: ConsoleWorld, merchants: MerchantWorld, shot: Shot, device: 'laptop' | 'phone', outDir: string): Promise<void> {
  const person = shot.who(world, merchants);
  const { page, errors } = await openPage(t, browser, `${world.url}/console/sign-in?next=${encodeURIComponent(shot.path(world, merchants))}`, { viewport: device === 'laptop' ? LAPTOP : PHONE });
  await signIn(page, person.username, person.password);
  await page.getByText(shot.ready).first().waitFor();
  if (shot.before) await shot.before(page);
  const file = join(outDir, `${shot.name}${device === 'phone' ? '-phone' : ''}.png`);
  await page.screenshot({ path: file, fullPage: device === 'laptop' });
  if (errors.length > 0) throw new Error(`${shot.name}: ${errors.join('; ')}`);
  console.log(`saved ${file}`);
  await page.context().close();
}

await main(resolve(process.argv[2] ?? join(PACKAGE_ROOT, 'docs', 'screenshots')));
