// In a real browser: the console works from the keyboard alone, fits a phone's width, and a
// session that ends on the server sends the user back to sign-in, then to where they were.
import t from 'tap';
import { PHONE, launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { startConsoleWorld } from '../helpers/console-world.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('sign in and move around with the keyboard only', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const browser = await launchBrowser(t);
  // The wrong password below is refused with 401 on purpose.
  const { page, errors } = await openPage(t, browser, `${world.url}/console`, { allowErrors: /^401 .*\/v1\/sessions$/ });
  await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();

  await page.keyboard.press('Tab');
  t.equal(await page.evaluate('document.activeElement.id'), 'username', 'the first Tab reaches the username');
  await page.keyboard.type(world.people.maker.username);
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate('document.activeElement.id'), 'password');
  await page.keyboard.type('a wrong password');
  await page.keyboard.press('Enter');
  const refusal = page.getByRole('alert');
  await refusal.waitFor();
  t.match(await refusal.textContent(), /username or password is wrong/);
  await page.getByLabel('Password').fill(world.people.maker.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Estate' }).waitFor();
  t.equal(await page.evaluate('document.activeElement.tagName + " " + document.activeElement.textContent'), 'H1 Estate', 'focus moves to the new page\'s heading');

  // On a freshly loaded page the skip link is the first stop and takes the user to the content.
  await page.reload();
  await page.getByRole('heading', { name: 'Estate' }).waitFor();
  await page.keyboard.press('Tab');
  t.equal(await page.evaluate('document.activeElement.textContent'), 'Skip to content');
  await page.keyboard.press('Enter');
  t.equal(await page.evaluate('document.activeElement.id'), 'main');

  // A health count is a link: focus it and press Enter to open the filtered list.
  await page.getByRole('link', { name: /Failed update/ }).focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Terminals: failed update' }).waitFor();
  t.match(page.url(), /\/console\/devices\?flag=update-failed$/);
  // The heading shows before the list arrives: wait for its rows, then count them.
  await page.locator('table tbody tr').nth(1).waitFor();
  t.equal(await page.locator('table tbody tr').count(), 2, 'the two terminals with a failed update');

  // Back goes back.
  await page.goBack();
  await page.getByRole('heading', { name: 'Estate' }).waitFor();
  t.same(errors, [], 'no errors in the browser');
});

t.test('on a phone nothing is wider than the screen', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const browser = await launchBrowser(t);
  const { page, errors } = await openPage(t, browser, `${world.url}/console/sign-in?next=/console/estate`, { viewport: PHONE });
  await signIn(page, world.people.maker.username, world.people.maker.password);
  for (const [path, ready] of [['/console/estate', 'Active terminals by model and firmware version'], [`/console/rollouts/${world.rolloutId}`, 'Failure ratio'], ['/console/devices', 'Serial']] as const) {
    if (!page.url().endsWith(path)) await page.goto(`${world.url}${path}`);
    await page.getByText(ready).first().waitFor();
    // Wide tables scroll inside their own box; the page itself does not scroll sideways.
    t.ok(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), `${path} fits ${PHONE.width} px`);
  }
  t.same(errors, [], 'no errors in the browser');
});

t.test('a session revoked on the server ends in the console; signing in again returns to the page', async (t) => {
  const world = await startConsoleWorld(t, { database: 'sqlite' });
  const browser = await launchBrowser(t);
  const rollout = `/console/rollouts/${world.rolloutId}`;
  const { page, errors } = await openPage(t, browser, `${world.url}${rollout}`, { allowErrors: /^401 .*\/v1\/operator\/rollouts/ });
  await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
  t.match(page.url(), /\/console\/sign-in\?next=/, 'a page behind sign-in asks for it first');
  await signIn(page, world.people.maker.username, world.people.maker.password);
  await page.getByRole('heading', { name: 'Rollout: T100 firmware 1.2.0' }).waitFor();

  const stored = await page.evaluate('sessionStorage.getItem("steward.session")');
  const token = (JSON.parse(String(stored)) as { token: string }).token;
  const revoked = await world.server.app.inject({ method: 'DELETE', url: '/v1/sessions/current', headers: { authorization: `Bearer ${token}` } });
  t.equal(revoked.statusCode, 204);

  await page.getByRole('button', { name: 'Pause' }).click();
  await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
  t.equal(await page.evaluate('sessionStorage.getItem("steward.session")'), null, 'the dead token is forgotten');
  await signIn(page, world.people.maker.username, world.people.maker.password);
  await page.getByRole('heading', { name: 'Rollout: T100 firmware 1.2.0' }).waitFor();
  t.equal(new URL(page.url()).pathname, rollout, 'back on the rollout');
  t.match(await page.locator('.status-line').textContent(), /active/, 'the refused pause changed nothing');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in to Steward' }).waitFor();
  const after = await world.server.app.inject({ method: 'GET', url: '/v1/sessions/current', headers: { authorization: `Bearer ${JSON.parse(String(stored)).token as string}` } });
  t.equal(after.statusCode, 401);
  t.same(errors, [], 'no unexpected errors in the browser');
});
