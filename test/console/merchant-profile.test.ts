// In a real browser, the merchant's correction of a settlement account end to end: an invalid
// IBAN shows the API's field error inline while typing, a valid one is requested, a second
// person (an operator) approves it in the approval queue, the terminals apply it, and the
// merchant sees it applied on every terminal, the account masked throughout.
import t from 'tap';
import { launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { BAD_IBAN, FIRST_IBAN, NEW_IBAN, seedMerchants } from '../helpers/console-merchants.js';
import { startConsoleWorld } from '../helpers/console-world.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('a merchant corrects the settlement account; another person approves; the terminals apply it', async (t) => {
  const world = await startConsoleWorld(t, { database: 'postgres' });
  const merchants = await seedMerchants(world);
  const browser = await launchBrowser(t);
  const profileUrl = `/console/merchants/${merchants.merchantId}/profile`;

  // The merchant signs in and lands on its terminals, all on the first profile version.
  const merchant = await openPage(t, browser, `${world.url}/console`);
  const page = merchant.page;
  await signIn(page, merchants.staff.username, merchants.staff.password);
  await page.getByRole('heading', { name: 'Terminals' }).waitFor();
  t.match(await page.locator('.adoption-line').textContent(), /Profile version 1: applied on 3 of 3 terminals/);
  t.equal(await page.getByRole('link', { name: 'Rollouts' }).count(), 0, 'no operator pages in the merchant navigation');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await page.getByRole('heading', { name: 'Correct the profile' }).waitFor();
  const account = await page.locator('.facts').textContent();
  t.match(account, /0189/, 'the current account shows its last digits');
  t.notMatch(account, new RegExp(FIRST_IBAN), 'and never in full');

  // An IBAN whose check digits fail: the field error appears as the user types, with the API's code.
  const iban = page.getByLabel('IBAN', { exact: true });
  await iban.fill(BAD_IBAN);
  const ibanError = page.locator('#field-iban-error');
  await ibanError.waitFor();
  t.equal(await ibanError.getAttribute('data-code'), 'STW_PROFILE_IBAN_CHECKSUM', 'the error carries the code the API answers');
  t.equal(await iban.getAttribute('aria-invalid'), 'true');
  t.match(await iban.getAttribute('aria-describedby'), /field-iban-error/, 'the error is tied to the input');
  const token = await merchants.sessionOf(merchants.staff);
  const dryRun = await merchants.as(token, 'POST', `/v1/merchants/${merchants.merchantId}/profile/validate`, { layer: 'merchant', patch: { settlement_account: { type: 'iban', iban: BAD_IBAN } } });
  t.same(dryRun.json<{ issues: { field: string; code: string }[] }>().issues.map((issue) => [issue.field, issue.code]), [['settlement_account.iban', 'STW_PROFILE_IBAN_CHECKSUM']], 'the API finds the same error on the same field');
  t.ok(await page.getByRole('button', { name: 'Request change' }).isEnabled(), 'the submit button stays enabled; submitting shows the errors');
  await page.getByRole('button', { name: 'Request change' }).click();
  t.equal(await ibanError.getAttribute('data-code'), 'STW_PROFILE_IBAN_CHECKSUM', 'nothing is sent while the error stands');
  const none = await merchants.as(token, 'GET', `/v1/merchants/${merchants.merchantId}/profile/changes?state=pending`);
  t.same(none.json<{ changes: unknown[] }>().changes, [], 'no change was stored');

  // A valid account: the error goes, the change is requested and waits for approval.
  await iban.fill(NEW_IBAN);
  await ibanError.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Request change' }).click();
  await page.getByRole('status').filter({ hasText: 'waits for approval' }).waitFor();
  const pending = page.getByRole('region', { name: 'Waiting for approval' });
  await pending.waitFor();
  const pendingText = await pending.textContent();
  t.match(pendingText, /3000/, 'the pending change shows the new account by its last digits');
  t.notMatch(pendingText, new RegExp(NEW_IBAN), 'and not in full');

  // A second person, an operator, approves it from the queue.
  const checker = await openPage(t, browser, `${world.url}/console/approvals`);
  await signIn(checker.page, world.people.checker.username, world.people.checker.password);
  const card = checker.page.getByRole('article').filter({ hasText: `merchant ${merchants.merchantId}` });
  await card.waitFor();
  t.match(await card.locator('table.diff').textContent(), /settlement_account\.iban.*0189.*3000/s, 'the queue shows the masked diff');
  await card.getByRole('button', { name: 'Approve' }).click();
  await checker.page.getByRole('status').filter({ hasText: 'is now at version 2' }).waitFor();
  await checker.page.getByText('Nothing waits for approval.').waitFor();

  // The terminals fetch and apply version 2; the merchant sees it applied everywhere.
  await merchants.applyProfiles();
  await page.reload();
  await page.getByTestId('profile-version').filter({ hasText: '2' }).waitFor();
  t.match(await page.getByTestId('adoption').textContent(), /Applied on 3 of 3 terminals/);
  t.match(await page.locator('.facts').textContent(), /3000/, 'the new account is in effect, masked');
  t.equal(await pending.count(), 0, 'nothing waits any more');
  t.match(await page.getByRole('region', { name: 'Recent changes' }).textContent(), /published/);

  t.same(merchant.errors, [], 'no errors in the merchant browser');
  t.same(checker.errors, [], 'no errors in the operator browser');
  t.equal(page.url(), `${world.url}${profileUrl}`);
});

t.test('a merchant cannot open another merchant\'s pages, and the API refuses the data', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const merchants = await seedMerchants(world);
  const browser = await launchBrowser(t);
  const other = merchants.otherMerchantId;
  const { page, errors } = await openPage(t, browser, `${world.url}/console/merchants/${other}/profile`);
  await signIn(page, merchants.staff.username, merchants.staff.password);

  await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  t.match(await page.getByRole('alert').textContent(), /belongs to another merchant/);
  t.notMatch(await page.locator('main').textContent(), /Bakery Nord/, 'nothing of the other merchant is shown');
  for (const path of [`/console/merchants/${other}`, '/console/estate', '/console/approvals', '/console/vendors/acme/releases']) {
    await page.goto(`${world.url}${path}`);
    await page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  }

  // The console's check only spares a page of refusals: the API itself refuses the token.
  const stored = await page.evaluate('sessionStorage.getItem("steward.session")');
  const token = (JSON.parse(String(stored)) as { token: string }).token;
  for (const url of [`/v1/merchants/${other}`, `/v1/merchants/${other}/profile`, `/v1/merchants/${other}/terminals`, `/v1/merchants/${other}/profile/changes`]) {
    const response = await merchants.as(token, 'GET', url);
    t.equal(response.statusCode, 403, `${url} is refused to merchant ${merchants.merchantId}`);
  }
  const own = await merchants.as(token, 'GET', `/v1/merchants/${merchants.merchantId}/profile`);
  t.equal(own.statusCode, 200, 'while its own profile answers');
  t.same(errors, [], 'no errors in the browser');
});
