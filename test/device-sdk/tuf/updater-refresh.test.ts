import t from 'tap';
import { Metadata } from '../../../manifests/index.js';
import { MemoryMetadataStore } from '../../../device-sdk/store/index.js';
import { TufRepository } from '../../helpers/tuf-repository.js';
import { client, failure, recordingStore, rejection, serve } from './fixtures/client.js';

t.test('a cold refresh fetches root N+1, timestamp, snapshot and targets in that order and stores them', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server);
  const result = await updater.refresh();
  t.match(result, { root: 1, timestamp: 1, snapshot: 1, targets: 1, rootRotations: 0 });
  t.same(server.requestedPaths(), ['metadata/2.root.json', 'metadata/timestamp.json', 'metadata/1.snapshot.json', 'metadata/1.targets.json']);
  for (const role of ['root', 'timestamp', 'snapshot', 'targets']) t.same(await store.read(role), repo.metadata(role), `${role} stored as served`);
});

t.test('a warm refresh with nothing new fetches only the next root and the timestamp', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  server.requests.length = 0;
  await updater.refresh();
  t.same(server.requestedPaths(), ['metadata/2.root.json', 'metadata/timestamp.json']);
});

t.test('after a publish, a warm refresh fetches the new snapshot and the changed targets only', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  repo.addTarget('acme/fw.bin', 'fw', { role: 'acme' });
  await repo.publish();
  server.requests.length = 0;
  const result = await updater.refresh();
  t.match(result, { timestamp: 3, snapshot: 3, targets: 2 });
  t.same(server.requestedPaths(), ['metadata/2.root.json', 'metadata/timestamp.json', 'metadata/3.snapshot.json']);
});

t.test('without consistent snapshots, unversioned file names are fetched', async (t) => {
  const repo = await TufRepository.create({ consistentSnapshot: false });
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  t.same(server.requestedPaths(), ['metadata/2.root.json', 'metadata/timestamp.json', 'metadata/snapshot.json', 'metadata/targets.json']);
});

t.test('the root chain is walked one version at a time and each root is stored', async (t) => {
  const repo = await TufRepository.create({ roles: { root: { count: 2, threshold: 2 } } });
  const server = await serve(t, repo);
  for (let i = 0; i < 3; i++) {
    repo.rotateKeys('root', { count: 3, threshold: 2 });
    await repo.publish();
  }
  const { updater, store } = client(repo, server);
  const result = await updater.refresh();
  t.match(result, { root: 4, rootRotations: 3 });
  t.same(await store.read('root'), repo.metadata('root', 4));
  t.same(server.requestedPaths().slice(0, 4), ['metadata/2.root.json', 'metadata/3.root.json', 'metadata/4.root.json', 'metadata/5.root.json']);
});

t.test('when more roots are offered than the cap, the walk stops at the cap', async (t) => {
  const repo = await TufRepository.create();
  for (let i = 0; i < 4; i++) {
    repo.bumpRoot();
    await repo.publish();
  }
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server, { config: { maxRootRotations: 2 } });
  const result = await updater.refresh();
  t.equal(result.root, 3);
  t.equal(Metadata.fromBytes('root', (await store.read('root')) ?? new Uint8Array()).signed.version, 3);
});

t.test('the reference time is read once per refresh and used for every expiry check', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  let reads = 0;
  const { updater } = client(repo, server, {
    config: {
      clock: () => {
        reads += 1;
        return new Date();
      },
    },
  });
  await updater.refresh();
  t.equal(reads, 1);
});

t.test('when the store holds no root, refresh fails without fetching', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  const { updater } = client(repo, server, { store: new MemoryMetadataStore() });
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_NOT_INITIALISED');
  t.same(server.requests, []);
});

t.test('when the trusted root is not signed by its own threshold, refresh fails', async (t) => {
  const repo = await TufRepository.create({ roles: { root: { count: 2, threshold: 2 } } });
  const server = await serve(t, repo);
  const forged = await repo.forge('root', () => {}, [repo.keyring('root').signers[0]!]);
  const { updater } = client(repo, server, { store: new MemoryMetadataStore({ root: forged }) });
  t.equal(await rejection(t, updater.refresh()), 'STW_DEVICE_SIGNATURE_INVALID');
});

t.test('when the timestamp keys rotate, the stored timestamp and snapshot are forgotten', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server);
  await updater.refresh();
  repo.rotateKeys('timestamp');
  await repo.publish();
  const watched = recordingStore(store);
  // The refresh stops before a new timestamp arrives: the new root is kept, the old
  // timestamp and snapshot are gone (TUF 5.3.11).
  server.override('metadata/timestamp.json', { status: 503 });
  t.equal(await rejection(t, client(repo, server, { store: watched }).updater.refresh()), 'STW_DEVICE_HTTP_STATUS');
  t.same(watched.log, ['write root', 'delete timestamp', 'delete snapshot']);
  // Otherwise the changes of one refresh are committed together: each role once, in its final state.
  server.clearOverrides();
  watched.log.length = 0;
  await client(repo, server, { store: watched }).updater.refresh();
  t.same(watched.log, ['write timestamp', 'write snapshot']);
  t.same(await store.read('timestamp'), repo.metadata('timestamp'));
});

t.test('a warm refresh with nothing new writes nothing', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  const { updater, store } = client(repo, server);
  await updater.refresh();
  const watched = recordingStore(store);
  await client(repo, server, { store: watched }).updater.refresh();
  t.same(watched.log, []);
});

t.test('a timestamp that pins an older snapshot than the trusted one is a rollback', async (t) => {
  const repo = await TufRepository.create();
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  const older = await repo.forge('timestamp', (signed) => {
    signed.version = 10;
    signed.meta = { 'snapshot.json': { version: 1 } };
  });
  server.override('metadata/timestamp.json', older);
  const error = await failure(t, updater.refresh());
  t.equal(error.code, 'STW_DEVICE_ROLLBACK');
  t.equal(error.details?.role, 'timestamp', 'the timestamp is the document refused');
});

t.test('a snapshot that drops a targets role the trusted snapshot listed is a rollback', async (t) => {
  const repo = await TufRepository.create();
  repo.delegate('targets', 'acme');
  await repo.publish();
  const server = await serve(t, repo);
  const { updater } = client(repo, server);
  await updater.refresh();
  const next = repo.version('snapshot') + 1;
  const dropped = await repo.forge('snapshot', (signed) => {
    signed.version = next;
    delete (signed.meta as Record<string, unknown>)['acme.json'];
  });
  server.override(`metadata/${next}.snapshot.json`, dropped);
  server.override('metadata/timestamp.json', await repo.forge('timestamp', (signed) => {
    signed.version = 99;
    signed.meta = { 'snapshot.json': { version: next } };
  }));
  t.match(await failure(t, updater.refresh()), { code: 'STW_DEVICE_ROLLBACK', details: { role: 'snapshot', reason: 'removed' } });
});

t.test('an expired snapshot or targets role is refused at the reference time', async (t) => {
  const now = Date.now();
  for (const role of ['snapshot', 'targets']) {
    const repo = await TufRepository.create();
    repo.setExpires(role, new Date(now + 3_600_000));
    await repo.publish();
    const server = await serve(t, repo);
    t.ok(await client(repo, server, { config: { clock: () => new Date(now) } }).updater.refresh(), `${role}: fine an hour before`);
    const error = await failure(t, client(repo, server, { config: { clock: () => new Date(now + 7_200_000) } }).updater.refresh());
    t.equal(error.code, 'STW_DEVICE_FREEZE');
    t.equal(error.details?.role, role);
  }
});

t.test('metadata that fails its checks is never stored', async (t) => {
  const repo = await TufRepository.create();
  await repo.publish();
  const server = await serve(t, repo);
  server.override(`metadata/${repo.metadataPath('targets')}`, await repo.forge('targets', () => {}, []));
  const { updater, store } = client(repo, server);
  t.equal((await failure(t, updater.refresh())).code, 'STW_DEVICE_SIGNATURE_INVALID');
  t.same(await store.read('timestamp'), repo.metadata('timestamp'), 'what passed is kept');
  t.equal(await store.read('targets'), undefined, 'what failed is not');
});

t.test('a server error on the next root fails the refresh instead of skipping the rotation', async (t) => {
  const repo = await TufRepository.create();
  const server = await serve(t, repo);
  server.override('metadata/2.root.json', { status: 500 });
  t.equal(await rejection(t, client(repo, server).updater.refresh()), 'STW_DEVICE_HTTP_STATUS');
});
