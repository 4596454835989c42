// Serving the built console: the page for every /console path, assets with their types and
// a year of caching, the security headers, refusals, and 503 when nothing was built.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { CONSOLE_CSP } from '../../../server/console/index.js';
import { errorCode, startTestServer } from '../../helpers/server-harness.js';

function fakeBuild(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'steward-console-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>console</title><script type="module" src="/console/assets/app-ABC.js"></script>');
  writeFileSync(join(dir, 'assets', 'app-ABC.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'app-ABC.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'notes.exe'), 'MZ');
  writeFileSync(join(dir, 'secret.txt'), 'outside assets');
  return dir;
}

t.test('every path under /console answers the page, with the security headers and no caching', async (t) => {
  const server = await startTestServer(t, { config: { consoleDir: fakeBuild(t) } });
  for (const url of ['/console', '/console/', '/console/estate', '/console/devices/dev_1?flag=offline', '/console/merchants/M-1/profile']) {
    const response = await server.app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 200, url);
    t.match(response.headers['content-type'], /^text\/html; charset=utf-8/, `${url} is HTML`);
    t.match(response.body, /<title>console<\/title>/, `${url} is the page`);
    t.equal(response.headers['content-security-policy'], CONSOLE_CSP, `${url} carries the CSP`);
    t.equal(response.headers['x-content-type-options'], 'nosniff');
    t.equal(response.headers['x-frame-options'], 'DENY');
    t.equal(response.headers['cache-control'], 'no-cache', `${url} is revalidated`);
  }
  t.match(CONSOLE_CSP, /default-src 'self'/);
  t.notMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval/, 'no inline script or style, no eval');
  t.match(CONSOLE_CSP, /frame-ancestors 'none'/);
});

t.test('assets are served with their content type and cached for a year', async (t) => {
  const server = await startTestServer(t, { config: { consoleDir: fakeBuild(t) } });
  const script = await server.app.inject({ method: 'GET', url: '/console/assets/app-ABC.js' });
  t.equal(script.statusCode, 200);
  t.equal(script.body, 'console.log(1)');
  t.match(script.headers['content-type'], /^text\/javascript/);
  t.equal(script.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(script.headers['content-security-policy'], CONSOLE_CSP);
  const style = await server.app.inject({ method: 'GET', url: '/console/assets/app-ABC.css' });
  t.match(style.headers['content-type'], /^text\/css/);
});

t.test('anything that is not a built asset is refused', async (t) => {
  const server = await startTestServer(t, { config: { consoleDir: fakeBuild(t) } });
  for (const url of ['/console/assets/missing.js', '/console/assets/notes.exe', '/console/assets/..%2Fsecret.txt', '/console/assets/%2e%2e%2fsecret.txt', '/console/assets/.hidden.js']) {
    const response = await server.app.inject({ method: 'GET', url });
    t.equal(response.statusCode, 404, url);
    t.equal(errorCode(response), 'STW_NOT_FOUND', url);
    t.notMatch(response.body, /outside assets/, `${url} does not leak a file`);
  }
});

t.test('without a build /console answers 503 and says how to build it', async (t) => {
  const missing = join(tmpdir(), `steward-no-console-${process.pid}`);
  const server = await startTestServer(t, { config: { consoleDir: missing } });
  const response = await server.app.inject({ method: 'GET', url: '/console/estate' });
  t.equal(response.statusCode, 503);
  t.equal(errorCode(response), 'STW_UNAVAILABLE');
  t.equal(response.json<{ error: { details: { reason: string } } }>().error.details.reason, 'console-not-built');
  t.match(response.json<{ error: { message: string } }>().error.message, /npm run build/);
});

t.test('the console routes are not part of the API document', async (t) => {
  const server = await startTestServer(t, { config: { consoleDir: fakeBuild(t) } });
  const document = (await server.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, unknown> }>();
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/console')), []);
  t.ok(document.paths['/v1/vendors/{vendorId}/adoption'], 'the adoption route is');
});
