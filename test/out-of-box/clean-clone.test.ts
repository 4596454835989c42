/**
 * The README's path on a clean clone of HEAD: `npm ci`, `npm start` (development setup, then
 * the server on a free port), `npm run demo` against it. The server answers, the first start
 * prints the console URL and the sign-in, and the demo ends with the expected outcome table:
 * 50 terminals enrolled, 1.1.0 on all of them, 1.2.0 halted by its abort criteria and rolled
 * back, the corrected profile applied on all. Slow by nature (dependencies installed, a
 * native module compiled, two builds): it has a generous time limit.
 */
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv, freePort, REPO, run, startServing } from './out-of-box-harness.js';

t.setTimeout(45 * 60_000);

t.test('npm ci, npm start and npm run demo on a clean clone', async (t) => {
  const scratch = mkdtempSync(join(tmpdir(), 'steward-clone-'));
  t.teardown(() => rmSync(scratch, { recursive: true, force: true }));
  const clone = join(scratch, 'steward');
  const cloned = await run('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone], { cwd: scratch });
  t.equal(cloned.code, 0, 'git clone');
  if (cloned.code !== 0) t.comment(cloned.stderr);

  const installed = await run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], { cwd: clone, env: cleanEnv() });
  t.equal(installed.code, 0, 'npm ci');
  if (installed.code !== 0) return void t.comment(`${installed.stdout.slice(-2000)}${installed.stderr.slice(-4000)}`);

  const port = await freePort();
  const env = cleanEnv({ STEWARD_PORT: String(port), STEWARD_LOG_LEVEL: 'warn' });
  const server = await startServing(t, 'npm', ['start'], { cwd: clone, port, env, timeoutMs: 15 * 60_000 });
  t.match(server.output(), new RegExp(`Console: http://127\\.0\\.0\\.1:${port}/console  sign in as admin / \\S+`), 'the first start prints the console URL and the sign-in');
  t.match(server.output(), /NOT FOR PRODUCTION/);
  const health = await fetch(`${server.url}/healthz`);
  t.equal(health.status, 200, 'the server answers');

  const demo = await run('npm', ['run', 'demo'], { cwd: clone, env });
  t.equal(demo.code, 0, 'npm run demo');
  if (demo.code !== 0) t.comment(`${demo.stdout.slice(-6000)}${demo.stderr.slice(-3000)}`);
  const table = demo.stdout.slice(demo.stdout.indexOf('Summary'));
  t.match(table, /terminals enrolled\s+50 \/ 50/);
  t.match(table, /firmware 1\.1\.0 \(staged rollout\)\s+completed; 50 \/ 50 terminals run 1\.1\.0/);
  t.match(table, /firmware 1\.2\.0 \(faulty\)\s+aborted by its abort criteria \(\d+ failed of \d+ attempted\); [3-9] terminals rolled back; 0 run 1\.2\.0/);
  t.match(table, /settlement account correction\s+requested by the merchant \(pending\), approved by admin2: profile v\d+/);
  t.match(table, /profile v\d+ applied\s+50 \/ 50 terminals \(server: applied on 50 of 50\)/);
  t.match(table, /Every outcome is as expected\./);
  t.match(table, new RegExp(`Console: http://127\\.0\\.0\\.1:${port}/console`));

  await server.stop();
  t.equal(await fetch(`${server.url}/healthz`).then(() => 'answers', () => 'stopped'), 'stopped', 'the server stops with npm start');
});
