import t from 'tap';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FsMetadataStore } from '../../../device-sdk/store/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { client, rejection, serve } from './fixtures/client.js';

function metadataRequests(paths: string[]): string[] {
  return paths.filter((path) => path.startsWith('metadata/') && !path.endsWith('.root.json') && path !== 'metadata/timestamp.json');
}

t.test('a target in a delegated role is found, and roles whose paths do not match are not fetched', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'globex', { paths: ['globex/*'] });
  repo.delegate('targets', 'acme', { paths: ['acme/*'] });
  const fw = repo.addTarget('acme/fw.bin', 'acme firmware', { role: 'acme' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  const found = await updater.findTarget('acme/fw.bin');
  t.equal(found?.role, 'acme');
  t.ok(found?.target.sameContentAs(fw));
  t.same(metadataRequests(server.requestedPaths()), ['metadata/2.snapshot.json', 'metadata/2.targets.json', 'metadata/1.acme.json']);
});

t.test('the search is depth-first in delegation order: a child of the first delegation wins over the second', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'a', { paths: ['shared/*'] });
  repo.delegate('targets', 'b', { paths: ['shared/*'] });
  repo.delegate('a', 'a1', { paths: ['shared/*'] });
  repo.addTarget('shared/app.bin', 'from a1', { role: 'a1' });
  repo.addTarget('shared/app.bin', 'from b', { role: 'b' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  server.requests.length = 0;
  const found = await updater.findTarget('shared/app.bin');
  t.equal(found?.role, 'a1');
  t.same(server.requestedPaths(), ['metadata/1.a.json', 'metadata/1.a1.json'], 'b is never fetched');
});

t.test('a terminating delegation that does not list the target ends the search', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'a', { paths: ['shared/*'], terminating: true });
  repo.delegate('targets', 'b', { paths: ['shared/*'] });
  repo.addTarget('shared/app.bin', 'from b', { role: 'b' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  t.equal(await updater.getTargetInfo('shared/app.bin'), undefined);
  t.notOk(server.requestedPaths().includes('metadata/1.b.json'));
});

t.test('a terminating delegation deep in the graph stops the search before any backtracking', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'a', { paths: ['shared/*'] });
  repo.delegate('targets', 'b', { paths: ['shared/*'] });
  repo.delegate('a', 'a1', { paths: ['shared/*'], terminating: true });
  repo.addTarget('shared/app.bin', 'from b', { role: 'b' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  t.equal(await updater.getTargetInfo('shared/app.bin'), undefined);
});

t.test('a non-terminating delegation that does not list the target lets the search go on', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'a', { paths: ['shared/*'] });
  repo.delegate('targets', 'b', { paths: ['shared/*'] });
  repo.addTarget('shared/app.bin', 'from b', { role: 'b' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  t.equal((await updater.findTarget('shared/app.bin'))?.role, 'b');
});

t.test('a delegation by path hash prefix covers exactly the paths whose hash starts with it', async (t) => {
  const prefix = createHash('sha256').update('bin/a.bin').digest('hex').slice(0, 2);
  t.notOk(createHash('sha256').update('bin/b.bin').digest('hex').startsWith(prefix), 'the other path is outside the prefix');
  const repo = await TufRepository.create();
  repo.delegate('targets', 'bin', { pathHashPrefixes: [prefix] });
  repo.addTarget('bin/a.bin', 'a', { role: 'bin' });
  repo.addTarget('bin/b.bin', 'b', { role: 'bin' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  t.ok(await updater.getTargetInfo('bin/a.bin'));
  t.equal(await updater.getTargetInfo('bin/b.bin'), undefined);
});

t.test('a delegation cycle is walked once', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'a', { paths: ['x/*'] });
  repo.delegate('a', 'b', { paths: ['x/*'] });
  repo.delegate('b', 'a', { paths: ['x/*'] });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  server.requests.length = 0;
  t.equal(await updater.getTargetInfo('x/missing.bin'), undefined);
  t.same(server.requestedPaths(), ['metadata/1.a.json', 'metadata/1.b.json']);
});

t.test('a search that would visit more roles than the cap fails', async (t) => {
  const repo = await TufRepository.create();
  let parent = 'targets';
  for (const name of ['r1', 'r2', 'r3', 'r4']) {
    repo.delegate(parent, name, { paths: ['deep/*'] });
    parent = name;
  }
  repo.addTarget('deep/fw.bin', 'fw', { role: 'r4' });
  await repo.publish();
  const server = await serve(t, repo);
  t.ok(await client(repo, server).updater.getTargetInfo('deep/fw.bin'), 'found with the default cap');
  const { updater } = client(repo, server, { config: { maxDelegations: 3 } });
  t.equal(await rejection(t, updater.getTargetInfo('deep/fw.bin')), 'STW_DEVICE_DELEGATION_LIMIT');
});

t.test('role names are percent-encoded in URLs and stored under a safe file name', async (t) => {
  const repo = await TufRepository.create();
  const name = 'vendor/acme pos..';
  repo.delegate('targets', name, { paths: ['acme/*'] });
  repo.addTarget('acme/fw.bin', 'fw', { role: name });
  await repo.publish();
  const server = await serve(t, repo);
  const dir = t.testdir({});
  const store = new FsMetadataStore(dir);
  await store.write('root', repo.metadata('root', 1));
  const { updater } = client(repo, server, { store });
  t.ok(await updater.getTargetInfo('acme/fw.bin'));
  t.ok(server.requests.some((request) => request.rawPath === '/metadata/1.vendor%2Facme%20pos...json'));
  t.ok(existsSync(join(dir, 'vendor%2Facme%20pos...json')));
  t.same(await store.read(name), repo.metadata(name));
});

t.test('a delegation to a top-level role name is refused', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'snapshot', { paths: ['*'] });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  t.equal(await rejection(t, updater.getTargetInfo('fw.bin')), 'STW_DEVICE_METADATA_INVALID');
});

t.test('delegated roles verified once are reused by later searches and later updaters', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  repo.addTarget('acme/a.bin', 'a', { role: 'acme' });
  repo.addTarget('acme/b.bin', 'b', { role: 'acme' });
  await repo.publish();
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server);
  t.ok(await updater.getTargetInfo('acme/a.bin'));
  server.requests.length = 0;
  t.ok(await updater.getTargetInfo('acme/b.bin'));
  t.same(server.requests, [], 'same refresh: nothing fetched');
  const { updater: later } = client(repo, server, { store });
  t.ok(await later.getTargetInfo('acme/b.bin'));
  t.notOk(server.requestedPaths().includes('metadata/1.acme.json'), 'new updater: read back from the store');
});
