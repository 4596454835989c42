/**
 * Interoperability: the Steward client consumes a repository written and signed with
 * @tufjs/models (the models under tuf-js and sigstore-js), served as that library
 * serialises it (indented JSON, not canonical bytes): root rotation, consistent snapshots,
 * ed25519 and RSA-PSS keys, a delegation, a target download.
 */
import t from 'tap';
import { createHash, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as tufjs from '@tufjs/models';
import { canonicalize } from '@tufjs/canonical-json';
import { PublicKey } from '../../../manifests/index.js';
import { MemoryMetadataStore } from '../../../device-sdk/store/index.js';
import { Updater } from '../../../device-sdk/tuf/index.js';
import { TufServer } from '../../helpers/tuf-server.js';

const EXPIRES = '2099-01-01T00:00:00Z';
const SPEC = '1.0.31';

interface TufKey {
  readonly key: tufjs.Key;
  readonly privateKey: KeyObject;
}

function newKey(type: 'ed25519' | 'rsa'): TufKey {
  const { privateKey } = type === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const json = PublicKey.fromKeyObject(privateKey).toJSON() as Record<string, never>;
  const keyID = createHash('sha256').update(canonicalize(json)).digest('hex');
  return { key: tufjs.Key.fromJSON(keyID, json), privateKey };
}

function signer(key: TufKey): (data: Buffer) => tufjs.Signature {
  return (data) => {
    const sig =
      key.key.keyType === 'ed25519'
        ? sign(null, data, key.privateKey)
        : sign('sha256', data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_MAX_SIGN });
    return new tufjs.Signature({ keyID: key.key.keyID, sig: sig.toString('hex') });
  };
}

/** As @tufjs/models writes metadata for people to read: indented, keys in insertion order. */
function bytesOf(metadata: tufjs.Metadata<tufjs.Root | tufjs.Targets | tufjs.Snapshot | tufjs.Timestamp>): Buffer {
  return Buffer.from(JSON.stringify(metadata.toJSON(), null, 2));
}

function digests(bytes: Buffer): Record<string, string> {
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

t.test('a repository written with @tufjs/models is refreshed, searched and downloaded from', async (t) => {
  const rootKey1 = newKey('ed25519');
  const rootKey2 = newKey('rsa');
  const targetsKey = newKey('ed25519');
  const snapshotKey = newKey('rsa');
  const timestampKey = newKey('ed25519');
  const vendorKey = newKey('ed25519');
  const files = new Map<string, Uint8Array>();

  const root = new tufjs.Root({ version: 1, specVersion: SPEC, expires: EXPIRES, consistentSnapshot: true });
  root.addKey(rootKey1.key, 'root');
  root.addKey(targetsKey.key, 'targets');
  root.addKey(snapshotKey.key, 'snapshot');
  root.addKey(timestampKey.key, 'timestamp');
  const root1 = new tufjs.Metadata(root);
  root1.sign(signer(rootKey1));
  files.set('metadata/1.root.json', bytesOf(root1));

  // Root rotation: version 2 adds an RSA root key, signed by the old and the new keys.
  const root2Signed = new tufjs.Root({ ...root, version: 2, keys: { ...root.keys }, roles: { ...root.roles }, consistentSnapshot: true });
  root2Signed.addKey(rootKey2.key, 'root');
  const root2 = new tufjs.Metadata(root2Signed);
  root2.sign(signer(rootKey1));
  root2.sign(signer(rootKey2));
  files.set('metadata/2.root.json', bytesOf(root2));

  const firmware = Buffer.from('acme t100 firmware, written by tufjs');
  const fwHash = createHash('sha256').update(firmware).digest('hex');
  const vendor = new tufjs.Metadata(
    new tufjs.Targets({
      version: 1,
      specVersion: SPEC,
      expires: EXPIRES,
      targets: { 'acme/fw.bin': new tufjs.TargetFile({ path: 'acme/fw.bin', length: firmware.byteLength, hashes: { sha256: fwHash } }) },
    }),
  );
  vendor.sign(signer(vendorKey));
  const vendorBytes = bytesOf(vendor);
  files.set('metadata/1.acme.json', vendorBytes);
  files.set(`targets/acme/${fwHash}.fw.bin`, firmware);

  // Delegations and DelegatedRole are not exported by @tufjs/models: read the role from its JSON form.
  const targets = new tufjs.Metadata(
    tufjs.Targets.fromJSON({
      _type: 'targets',
      spec_version: SPEC,
      version: 1,
      expires: EXPIRES,
      targets: {},
      delegations: {
        keys: { [vendorKey.key.keyID]: vendorKey.key.toJSON() },
        roles: [{ name: 'acme', keyids: [vendorKey.key.keyID], threshold: 1, terminating: true, paths: ['acme/*'] }],
      },
    }),
  );
  targets.sign(signer(targetsKey));
  const targetsBytes = bytesOf(targets);
  files.set('metadata/1.targets.json', targetsBytes);

  const snapshot = new tufjs.Metadata(
    new tufjs.Snapshot({
      version: 1,
      specVersion: SPEC,
      expires: EXPIRES,
      meta: {
        'targets.json': new tufjs.MetaFile({ version: 1, length: targetsBytes.byteLength, hashes: digests(targetsBytes) }),
        'acme.json': new tufjs.MetaFile({ version: 1 }),
      },
    }),
  );
  snapshot.sign(signer(snapshotKey));
  const snapshotBytes = bytesOf(snapshot);
  files.set('metadata/1.snapshot.json', snapshotBytes);
  const timestamp = new tufjs.Metadata(
    new tufjs.Timestamp({
      version: 1,
      specVersion: SPEC,
      expires: EXPIRES,
      snapshotMeta: new tufjs.MetaFile({ version: 1, length: snapshotBytes.byteLength, hashes: digests(snapshotBytes) }),
    }),
  );
  timestamp.sign(signer(timestampKey));
  files.set('metadata/timestamp.json', bytesOf(timestamp));

  const server = await TufServer.start((path) => files.get(path));
  t.teardown(() => server.close());
  const store = new MemoryMetadataStore({ root: files.get('metadata/1.root.json') ?? new Uint8Array() });
  const updater = new Updater({ metadataUrl: server.metadataUrl, targetUrl: server.targetsUrl, store });
  const result = await updater.refresh();
  t.match(result, { root: 2, timestamp: 1, snapshot: 1, targets: 1, rootRotations: 1 });
  const found = await updater.findTarget('acme/fw.bin');
  t.equal(found?.role, 'acme');
  if (!found) return;
  const downloaded = await updater.downloadTarget(found.target, `${t.testdir({})}/fw.bin`);
  t.same(await readFile(downloaded.path), firmware);
  t.same(await store.read('acme'), vendorBytes, 'stored exactly as served');
});
