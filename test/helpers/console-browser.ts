/**
 * A real browser for the console tests: Debian's chromium (.ci/install-chromium.sh) driven
 * by playwright-core, headless, with a fresh profile and nothing that phones home. Pages
 * collect browser-side errors (script errors, console errors such as Content-Security-Policy
 * violations) so a test can require there were none.
 *
 * @example
 * const browser = await launchBrowser(t);
 * const page = await openPage(t, browser, `${url}/console`);
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Test } from 'tap';

export const CHROMIUM = process.env['STEWARD_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const LAPTOP = { width: 1366, height: 900 } as const;
export const PHONE = { width: 390, height: 844 } as const;

export async function launchBrowser(t: Test): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run .ci/install-chromium.sh`);
  // playwright gives each launch a fresh temporary --user-data-dir and removes it on close.
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  t.teardown(() => browser.close());
  return browser;
}

export interface PageOptions {
  readonly viewport?: { width: number; height: number };
  /** Expected failures: console messages, or `<status> <url>` of responses (e.g. a 403 the test provokes). */
  readonly allowErrors?: RegExp;
}

/** A new context (its own sessionStorage) and page; browser-side errors are collected in `errors` for the test to check. */
export async function openPage(t: Test, browser: Browser, url: string, options: PageOptions = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext({ viewport: options.viewport ?? LAPTOP, locale: 'en-GB', timezoneId: 'UTC' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !(options.allowErrors?.test(`${response.status()} ${response.url()}`) ?? false)) errors.push(`response: ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  page.on('console', (message) => {
    // A failed fetch is also logged as "Failed to load resource"; the response above names it.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource') && !(options.allowErrors?.test(message.text()) ?? false)) errors.push(`console: ${message.text()}`);
  });
  t.teardown(() => context.close());
  await page.goto(url);
  return { page, context, errors };
}

/** Sign in through the form, as a person would. */
export async function signIn(page: Page, username: string, password: string): Promise<void> {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}
