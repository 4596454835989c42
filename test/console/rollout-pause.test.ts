// In a real browser: an operator signs in, finds the rollout from the estate and pauses it;
// the API then reports it paused, and resuming works the same way.
import t from 'tap';
import { launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { startConsoleWorld } from '../helpers/console-world.js';
import { operator } from '../helpers/server-harness.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('an operator pauses a rollout from its page, then resumes it', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const browser = await launchBrowser(t);
  const { page, errors } = await openPage(t, browser, `${world.url}/console`);

  await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
  await signIn(page, world.people.maker.username, world.people.maker.password);
  await page.getByRole('heading', { name: 'Estate' }).waitFor();

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
  await page.getByRole('link', { name: 'T100 firmware 1.2.0' }).click();
  await page.getByRole('heading', { name: 'Rollout: T100 firmware 1.2.0' }).waitFor();
  t.match(await page.locator('.status-line').textContent(), /active/, 'the rollout starts active');

  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('status').filter({ hasText: 'Rollout paused.' }).waitFor();
  await page.getByRole('button', { name: 'Resume' }).waitFor();
  t.equal(await page.getByRole('button', { name: 'Pause' }).count(), 0, 'no Pause button on a paused rollout');
  const paused = await operator(world.server, 'GET', `/v1/operator/rollouts/${world.rolloutId}`);
  t.equal(paused.json<{ status: string }>().status, 'paused', 'the API says paused');

  const history = await operator(world.server, 'GET', `/v1/operator/rollouts/${world.rolloutId}/history?limit=1000`);
  t.ok(history.json<{ events: { kind: string; actor: string }[] }>().events.some((event) => event.actor === 'operator' && /pause/.test(event.kind)), 'the pause is in the rollout history');

  await page.getByRole('button', { name: 'Resume' }).click();
  await page.getByRole('status').filter({ hasText: 'Rollout resumed.' }).waitFor();
  const resumed = await operator(world.server, 'GET', `/v1/operator/rollouts/${world.rolloutId}`);
  t.equal(resumed.json<{ status: string }>().status, 'active', 'the API says active again');
  t.same(errors, [], 'no errors in the browser');
});
