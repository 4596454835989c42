// In a real browser, maker-checker between two operators: one requests a sensitive change
// from the merchant's profile page and cannot approve it; a second operator approves it from
// the queue. A rejection reaches the merchant with its reason.
import t from 'tap';
import { launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { NEW_IBAN, seedMerchants } from '../helpers/console-merchants.js';
import { startConsoleWorld } from '../helpers/console-world.js';
import { errorCode } from '../helpers/server-harness.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('an operator cannot approve their own request; a second operator approves it', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const merchants = await seedMerchants(world);
  const browser = await launchBrowser(t);
  const { maker, checker } = world.people;

  // The first operator requests a new account on the merchant's behalf.
  const first = await openPage(t, browser, `${world.url}/console/merchants/${merchants.merchantId}/profile`);
  await signIn(first.page, maker.username, maker.password);
  await first.page.getByLabel('IBAN', { exact: true }).fill(NEW_IBAN);
  await first.page.getByRole('button', { name: 'Request change' }).click();
  await first.page.getByRole('status').filter({ hasText: 'waits for approval' }).waitFor();

  // In the queue their own request cannot be approved, and the API agrees.
  await first.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
  const own = first.page.getByRole('article').filter({ hasText: `merchant ${merchants.merchantId}` });
  await own.getByText('your request').waitFor();
  t.ok(await own.getByRole('button', { name: 'Approve' }).isDisabled(), 'Approve is disabled on one\'s own request');
  const changeId = (await merchants.as(await merchants.sessionOf(maker), 'GET', '/v1/profile-changes?state=pending')).json<{ changes: { id: string }[] }>().changes[0]!.id;
  const selfApproval = await merchants.as(await merchants.sessionOf(maker), 'POST', `/v1/profile-changes/${changeId}/approve`);
  t.equal(selfApproval.statusCode, 403);
  t.equal(errorCode(selfApproval), 'STW_PROFILE_SELF_APPROVAL', 'the API refuses it whatever the page does');

  // The second operator approves it.
  const second = await openPage(t, browser, `${world.url}/console/approvals`);
  await signIn(second.page, checker.username, checker.password);
  const card = second.page.getByRole('article').filter({ hasText: `merchant ${merchants.merchantId}` });
  t.equal(await card.getByText('your request').count(), 0);
  await card.getByRole('button', { name: 'Approve' }).click();
  await second.page.getByRole('status').filter({ hasText: `Approved: merchant ${merchants.merchantId} is now at version 2` }).waitFor();
  const change = (await merchants.as(await merchants.sessionOf(checker), 'GET', `/v1/profile-changes/${changeId}`)).json<{ state: string; decidedBy: string }>();
  t.same([change.state, change.decidedBy], ['published', `user:${checker.id}`]);

  t.same(first.errors, [], 'no errors in the first operator\'s browser');
  t.same(second.errors, [], 'no errors in the second operator\'s browser');
});

t.test('a rejected change reaches the merchant with its reason', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const merchants = await seedMerchants(world);
  const browser = await launchBrowser(t);
  const token = await merchants.sessionOf(merchants.staff);
  const requested = await merchants.as(token, 'POST', `/v1/merchants/${merchants.merchantId}/profile/changes`, { layer: 'merchant', patch: { settlement_account: { type: 'iban', iban: NEW_IBAN } } });
  t.equal(requested.statusCode, 202, 'the change waits for approval');

  const operator = await openPage(t, browser, `${world.url}/console/approvals`);
  await signIn(operator.page, world.people.checker.username, world.people.checker.password);
  const card = operator.page.getByRole('article').filter({ hasText: `merchant ${merchants.merchantId}` });
  t.ok(await card.getByRole('button', { name: 'Reject' }).isDisabled(), 'a rejection needs a reason');
  await card.getByLabel('Reason (for a rejection)').fill('Account holder name does not match the contract');
  await card.getByRole('button', { name: 'Reject' }).click();
  await operator.page.getByRole('status').filter({ hasText: 'Rejected the change' }).waitFor();

  const merchant = await openPage(t, browser, `${world.url}/console/merchants/${merchants.merchantId}/profile`);
  await signIn(merchant.page, merchants.staff.username, merchants.staff.password);
  const history = merchant.page.getByRole('region', { name: 'Recent changes' });
  await history.getByText('Account holder name does not match the contract').waitFor();
  t.match(await history.textContent(), /rejected/);
  t.equal(await merchant.page.getByRole('region', { name: 'Waiting for approval' }).count(), 0);
  t.same(operator.errors, []);
  t.same(merchant.errors, []);
});
