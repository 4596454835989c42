/**
 * The first start of a fresh checkout, with the built CLI (as `npm start` runs it:
 * `steward init --dev && steward serve --dev`, data under ./data of the working directory): the
 * development keys, root ceremony, demo vendor, director root and operator users appear once;
 * the server then answers with them; a restart keeps every key, user and password; and
 * STEWARD_ENV=production refuses the development setup before writing anything.
 */
import t from 'tap';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCli, cleanEnv, freePort, run, startServing } from './out-of-box-harness.js';

// A tsc build, two first starts and two servers: minutes on a loaded 2-core machine.
t.setTimeout(900_000);

interface Signed<T> {
  readonly signed: T;
}

// One build for both cases.
const built = await buildCli(t);

t.test('npm start on a fresh checkout: a development setup once, kept on restart', async (t) => {
  const app = join(built.root, 'app');
  mkdirSync(app);
  const port = await freePort();
  const env = cleanEnv({ STEWARD_PORT: String(port), STEWARD_LOG_LEVEL: 'warn' });
  const data = join(app, 'data');
  const keysDir = join(data, 'dev-offline-keys');
  const credentialsFile = join(data, 'dev-credentials.txt');

  const first = await run(process.execPath, [built.main, 'init', '--dev'], { cwd: app, env });
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, /DEVELOPMENT SETUP - NOT FOR PRODUCTION/);
  const signIn = new RegExp(`Console: http://127\\.0\\.0\\.1:${port}/console  sign in as admin / (\\S+)`).exec(first.stdout);
  t.ok(signIn, 'the console URL and the sign-in are printed');
  const password = signIn?.[1] ?? '';
  t.match(first.stdout, /admin2 \/ \S+/, 'the second operator too');
  t.match(first.stdout, /\$ steward repo upload-root/, 'the root ceremony ran with the CLI');
  t.match(first.stdout, /\$ steward vendor add demo-vendor/);

  t.match(readFileSync(join(keysDir, 'README.md'), 'utf8'), /NOT FOR PRODUCTION/);
  for (const name of ['root', 'targets', 'director-root', 'demo-vendor']) {
    t.equal(statSync(join(keysDir, `${name}.pem`)).mode & 0o777, 0o600, `${name}.pem is 0600`);
  }
  t.equal(statSync(keysDir).mode & 0o777, 0o700, 'the key directory is 0700');
  t.equal(statSync(credentialsFile).mode & 0o777, 0o600, 'the credentials file is 0600');
  const credentials = readFileSync(credentialsFile, 'utf8');
  t.match(credentials, new RegExp(`^admin: ${escape(password)}$`, 'm'), 'the printed password is the one saved');
  const admin2 = /^admin2: (\S+)$/m.exec(credentials)?.[1] ?? '';
  const keyFiles = Object.fromEntries(readdirSync(keysDir).map((name) => [name, readFileSync(join(keysDir, name), 'utf8')]));

  // The server on that data: sign-in, the repository root, the vendor delegation, the director root.
  let server = await startServing(t, process.execPath, [built.main, 'serve', '--dev'], { cwd: app, port, env });
  const session = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  t.equal(session.status, 201, 'admin signs in with the printed password');
  t.equal(((await session.json()) as { user: { role: string } }).user.role, 'operator');
  const second = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin2', password: admin2 }) });
  t.equal(second.status, 201, 'admin2 signs in');
  const rootKeyId = await keyIdOf(join(keysDir, 'root.pem.pub.json'));
  const root = (await (await fetch(`${server.url}/v1/repository/metadata/root.json`)).json()) as Signed<{ version: number; roles: { root: { keyids: string[] } } }>;
  t.same(root.signed.roles.root.keyids, [rootKeyId], 'the repository root is the development root');
  const targets = (await (await fetch(`${server.url}/v1/repository/metadata/targets.json`)).json()) as Signed<{ delegations: { roles: { name: string; paths: string[] }[] } }>;
  t.same(targets.signed.delegations.roles.map((role) => [role.name, role.paths]), [['demo-vendor', ['demo-vendor/*']]]);
  const directorRoot = await fetch(`${server.url}/v1/director/metadata/root.json`);
  t.equal(directorRoot.status, 200, 'the director root is published');
  t.equal(await server.stop(), 0);

  // Restart: nothing new.
  const again = await run(process.execPath, [built.main, 'init', '--dev'], { cwd: app, env });
  t.equal(again.code, 0, again.stderr);
  t.notMatch(again.stdout, password, 'the password is not shown again');
  t.notMatch(again.stdout, /\$ steward/, 'no ceremony step runs again');
  t.match(again.stdout, /development offline keys in \S+: kept/);
  t.match(again.stdout, /sign in as admin \(password in \S*dev-credentials\.txt\)/, 'says where the credentials are');
  t.same(Object.fromEntries(readdirSync(keysDir).map((name) => [name, readFileSync(join(keysDir, name), 'utf8')])), keyFiles, 'every key file is kept as it was');
  t.equal(readFileSync(credentialsFile, 'utf8'), credentials, 'the credentials file is kept');

  server = await startServing(t, process.execPath, [built.main, 'serve', '--dev'], { cwd: app, port, env });
  const kept = await fetch(`${server.url}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
  t.equal(kept.status, 201, 'the same password still signs in');
  t.equal((await fetch(`${server.url}/v1/repository/metadata/2.root.json`)).status, 404, 'still root version 1');
  t.equal(await server.stop(), 0);
});

t.test('STEWARD_ENV=production refuses the development setup and writes nothing', async (t) => {
  const app = join(built.root, 'production');
  mkdirSync(app);
  const refused = await run(process.execPath, [built.main, 'init', '--dev'], { cwd: app, env: cleanEnv({ STEWARD_ENV: 'production' }) });
  t.equal(refused.code, 1);
  t.equal(/^error (STW_[A-Z_]+):/m.exec(refused.stderr)?.[1], 'STW_CLI_PRODUCTION');
  t.notOk(existsSync(join(app, 'data')), 'no data directory, no keys, no users');
  const serving = await run(process.execPath, [built.main, 'serve', '--dev'], { cwd: app, env: cleanEnv({ STEWARD_ENV: 'production' }) });
  t.equal(/^error (STW_[A-Z_]+):/m.exec(serving.stderr)?.[1], 'STW_CLI_PRODUCTION', 'nor does it serve with development settings');
});

async function keyIdOf(publicKeyFile: string): Promise<string> {
  const { PublicKey } = await import('../../manifests/index.js');
  return PublicKey.fromJSON(JSON.parse(readFileSync(publicKeyFile, 'utf8')) as never, publicKeyFile).keyId();
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}
