// In a real browser, the audit log page: entries with masked before/after, and the chain's
// verification, which turns into an alert naming the entry once one is edited in the database.
import t from 'tap';
import { launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { FIRST_IBAN, seedMerchants } from '../helpers/console-merchants.js';
import { startConsoleWorld } from '../helpers/console-world.js';
import { allowTampering } from '../server/audit/audit-fixtures.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('the audit log shows the verified chain, masked entries, and a broken chain after tampering', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  await seedMerchants(world);
  const browser = await launchBrowser(t);
  const { page, errors } = await openPage(t, browser, `${world.url}/console/audit`);
  await signIn(page, world.people.maker.username, world.people.maker.password);

  const verified = page.getByRole('status').filter({ hasText: 'Chain verified' });
  await verified.waitFor();
  const entries = (await page.locator('table.audit > tbody > tr').count());
  t.ok(entries >= 10, `the entries are listed (${entries})`);
  t.match(await verified.textContent(), new RegExp(`${entries} entries intact`));
  t.match(await page.locator('table.audit > tbody > tr').first().locator('td').first().textContent(), String(entries), 'newest first');

  // Open the entry that published the merchant's profile: its account is masked.
  const published = page.locator('table.audit > tbody > tr').filter({ hasText: 'profile.change.approved' }).filter({ hasText: 'M-1001' });
  await published.locator('summary').click();
  const details = await published.locator('table.diff').textContent();
  t.match(details, /settlement_account\.iban/);
  t.match(details, /0189/);
  t.notMatch(await page.locator('main').textContent(), new RegExp(FIRST_IBAN), 'no full account number anywhere on the page');

  // Someone with database access edits entry 3.
  const db = world.server.database.db;
  await allowTampering(db, 'sqlite');
  await db.updateTable('audit_log').set({ after: JSON.stringify({ name: 'Someone Else' }) }).where('seq', '=', 3).execute();
  await page.getByRole('button', { name: 'Verify again' }).click();
  const broken = page.getByRole('alert').filter({ hasText: 'Chain broken' });
  await broken.waitFor();
  t.match(await broken.textContent(), /at entry 3 \(hash-mismatch\)/, 'the alert names the edited entry');
  t.same(errors, [], 'no errors in the browser');
});
