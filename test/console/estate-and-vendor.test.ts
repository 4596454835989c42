// In a real browser: the operator's estate counts lead to the terminals they count and to a
// terminal's histories; a vendor sees its releases with adoption and nothing of the operator's.
import t from 'tap';
import { launchBrowser, openPage, signIn } from '../helpers/console-browser.js';
import { startConsoleWorld } from '../helpers/console-world.js';

t.setTimeout(300_000); // each case seeds a server and drives a browser; slow when the whole suite shares two cores

t.test('estate to terminal list to terminal, and a vendor\'s releases', async (t) => {
  const world = await startConsoleWorld(t, { database: 'postgres' });
  const browser = await launchBrowser(t);

  const operator = await openPage(t, browser, `${world.url}/console`);
  const page = operator.page;
  await signIn(page, world.people.maker.username, world.people.maker.password);
  const chart = page.getByRole('img', { name: /^t100:/ });
  const t100 = world.terminals.filter((device) => device.model === 't100');
  const on = (version: string) => t100.filter((device) => device.firmware === version).length;
  const plural = (n: number) => `${n} terminal${n === 1 ? '' : 's'}`;
  const expected = ['1.0.0', '1.1.0', '1.2.0'].filter((version) => on(version) > 0).map((version) => `${plural(on(version))} on ${version}`).join(', ');
  t.equal(on('1.2.0'), 3, 'three T100s committed 1.2.0');
  t.equal(await chart.getAttribute('aria-label'), `t100: ${expected}`, 'the chart says what it shows');
  t.match(await page.getByRole('link', { name: /Offline/ }).textContent(), /^1\s*Offline/);
  t.match(await page.getByRole('link', { name: /Paper out/ }).textContent(), /^1\s*Paper out/);

  await page.getByRole('link', { name: /Paper out/ }).click();
  await page.getByRole('heading', { name: 'Terminals: paper out' }).waitFor();
  const rows = page.locator('table tbody tr');
  await rows.first().waitFor(); // the heading shows before the list arrives
  t.equal(await rows.count(), 1);
  t.match(await rows.textContent(), world.paperOut.serial, 'the terminal that is out of paper');

  await page.goBack();
  await page.getByRole('link', { name: /Failed update/ }).click();
  await page.getByRole('heading', { name: 'Terminals: failed update' }).waitFor();
  const serial = world.rolledBack.serial;
  await rows.getByRole('link', { name: serial }).click();
  await page.getByRole('heading', { name: `Terminal ${serial}` }).waitFor();
  const updates = page.getByRole('region', { name: 'Update history' });
  t.match(await updates.textContent(), /rolled-back.*1\.2\.0.*BOOT_FAILED/s, 'the failed install and its code');
  t.match(await page.getByRole('region', { name: 'Versions' }).textContent(), new RegExp(`firmware\\s*${world.rolledBack.firmware.replaceAll('.', '\\.')}`), 'still on the old version after the rollback');
  t.match(await page.getByRole('region', { name: 'Health history' }).textContent(), /Paper: ok/);

  const vendor = await openPage(t, browser, `${world.url}/console`);
  await signIn(vendor.page, world.people.vendor.username, world.people.vendor.password);
  await vendor.page.getByRole('heading', { name: 'Releases of acme' }).waitFor();
  const release = vendor.page.locator('tr').filter({ hasText: 'acme/t100-fw-1.2.0.bin' });
  t.match(await release.textContent(), /3 of 8 \(37\.5%\)/, 'three of the eight T100s run 1.2.0');
  t.equal(await vendor.page.getByRole('navigation', { name: 'Main' }).getByRole('link').count(), 1, 'a vendor has one page');
  await vendor.page.goto(`${world.url}/console/estate`);
  await vendor.page.getByRole('heading', { name: 'Not allowed' }).waitFor();
  await vendor.page.goto(`${world.url}/console/vendors/other/releases`);
  t.match(await vendor.page.getByRole('alert').textContent(), /belongs to another vendor/);

  t.same(operator.errors, [], 'no errors in the operator browser');
  t.same(vendor.errors, [], 'no errors in the vendor browser');
});
