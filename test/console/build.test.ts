// The console build: one page that loads only its own hashed script and stylesheet (nothing
// inline, nothing from another origin), a bundle fit for a browser, and the shared profile
// validation inside it.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { buildConsole } from '../../scripts/build-console.js';

t.test('the build writes a page that loads only its own hashed assets', async (t) => {
  const outDir = join(mkdtempSync(join(tmpdir(), 'steward-console-build-')), 'console');
  t.teardown(() => rmSync(join(outDir, '..'), { recursive: true, force: true }));
  const built = await buildConsole({ outDir });
  t.match(built.script, /^assets\/app-[A-Z0-9]+\.js$/, 'the script name carries a content hash');
  t.match(built.stylesheet, /^assets\/app-[A-Z0-9]+\.css$/);

  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const sources = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]);
  t.same(sources.sort(), [`/console/${built.stylesheet}`, `/console/${built.script}`, 'data:,'].sort(), 'nothing but its own files (and an empty icon)');
  for (const source of sources) if (source?.startsWith('/console/')) t.ok(existsSync(join(outDir, source.slice('/console/'.length))), `${source} exists`);
  t.same([...html.matchAll(/<script\b[^>]*>([^<]*)<\/script>/g)].map((match) => match[1]), [''], 'one script element, with no inline code');
  t.notMatch(html, /style=|<style/, 'no inline style');
  t.notMatch(html, /https?:\/\//, 'no other origin');

  const bundle = readFileSync(join(outDir, built.script), 'utf8');
  t.notMatch(bundle, /\bfrom\s*["']node:|require\(["']node:/, 'no Node.js module in the bundle');
  t.match(bundle, /STW_PROFILE_IBAN_CHECKSUM/, 'the shared profile validation is bundled');
  t.notMatch(bundle, /\beval\(|new Function\(/, 'nothing the CSP would have to allow with unsafe-eval');
});

t.test('a second build replaces the first whole', async (t) => {
  const outDir = join(mkdtempSync(join(tmpdir(), 'steward-console-build-')), 'console');
  t.teardown(() => rmSync(join(outDir, '..'), { recursive: true, force: true }));
  await buildConsole({ outDir, minify: false });
  const again = await buildConsole({ outDir });
  t.ok(existsSync(join(outDir, again.script)), 'the new script is there');
  t.same(readFileSync(join(outDir, 'index.html'), 'utf8').match(/app-[A-Z0-9]+\.js/)?.[0], again.script.slice('assets/'.length), 'the page names the new script');
});
