import t from 'tap';
import { createHash } from 'node:crypto';
import { canonicalString, matchesPathPattern, Metadata, ManifestError, type RoleType } from '../../manifests/index.js';

const expires = '2030-01-01T00:00:00Z';
const key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: 'ab'.repeat(32), x_extra: 'kept' }, x_key: 1 };

// One document per role, each with unrecognised fields at every level a model owns.
const documents: Record<RoleType, unknown> = {
  root: {
    signatures: [{ keyid: 'k1', sig: 'aa', x_sig: true }],
    signed: {
      _type: 'root', spec_version: '1.0.31', version: 3, expires, consistent_snapshot: true, x_root: { nested: [1, 2] },
      keys: { k1: key },
      roles: {
        root: { keyids: ['k1'], threshold: 1, x_role: 'r' },
        targets: { keyids: ['k1'], threshold: 1 },
        snapshot: { keyids: ['k1'], threshold: 1 },
        timestamp: { keyids: ['k1'], threshold: 1 },
        x_extra_role: { keyids: [], threshold: 1 },
      },
    },
    x_envelope: 'e',
  },
  targets: {
    signatures: [],
    signed: {
      _type: 'targets', spec_version: '1.0.0', version: 7, expires, x_t: 0,
      targets: {
        'acme/t100-fw-1.2.0.bin': { length: 12, hashes: { sha256: 'ab'.repeat(32), blake2b: 'cd' }, custom: { version: '1.2.0', hardware_ids: ['t100'] }, x_file: [] },
      },
      delegations: {
        keys: { k1: key },
        roles: [
          { name: 'acme', keyids: ['k1'], threshold: 1, terminating: true, paths: ['acme/*'], x_del: 'd' },
          { name: 'bins', keyids: ['k1'], threshold: 1, terminating: false, path_hash_prefixes: ['00', '8f'] },
        ],
        x_delegations: 1,
      },
    },
  },
  snapshot: {
    signatures: [],
    signed: { _type: 'snapshot', spec_version: '1.0', version: 9, expires, meta: { 'targets.json': { version: 7, length: 100, hashes: { sha256: 'ef'.repeat(32) }, x_meta: 'm' }, 'acme.json': { version: 2 } } },
  },
  timestamp: {
    signatures: [],
    signed: { _type: 'timestamp', spec_version: '1.0.31', version: 10, expires: '2030-01-01T00:00:00.123Z', meta: { 'snapshot.json': { version: 9 }, x_other: { version: 1 } } },
  },
};

t.test('every role round-trips byte-identically through canonical JSON, unknown fields included', async (t) => {
  for (const [type, document] of Object.entries(documents) as [RoleType, unknown][]) {
    const metadata = Metadata.fromJSON(type, document);
    t.equal(canonicalString(metadata.toJSON()), canonicalString(document), type);
    const reparsed = Metadata.fromBytes(type, metadata.toBytes());
    t.equal(reparsed.toBytes().toString(), metadata.toBytes().toString(), `${type} via bytes`);
  }
});

t.test('a root without consistent_snapshot keeps it absent on the way back', async (t) => {
  const document = structuredClone(documents.root) as { signed: Record<string, unknown> };
  delete document.signed['consistent_snapshot'];
  const metadata = Metadata.fromJSON('root', document);
  t.equal(metadata.signed.usesConsistentSnapshots, false);
  t.equal(canonicalString(metadata.toJSON()), canonicalString(document));
});

function mutate(type: RoleType, change: (signed: Record<string, any>) => void): unknown {
  const document = structuredClone(documents[type]) as { signed: Record<string, any> };
  change(document.signed);
  return document;
}

t.test('when a document is malformed, fromJSON names the problem with a code', async (t) => {
  const cases: { name: string; type: RoleType; input: unknown; code: string }[] = [
    { name: 'wrong _type', type: 'root', input: mutate('root', (s) => (s['_type'] = 'targets')), code: 'STW_MANIFEST_WRONG_TYPE' },
    { name: 'timestamp read as snapshot', type: 'snapshot', input: documents.timestamp, code: 'STW_MANIFEST_WRONG_TYPE' },
    { name: 'newer spec major', type: 'root', input: mutate('root', (s) => (s['spec_version'] = '2.0.0')), code: 'STW_MANIFEST_UNSUPPORTED_SPEC' },
    { name: 'older spec major', type: 'root', input: mutate('root', (s) => (s['spec_version'] = '0.9.0')), code: 'STW_MANIFEST_UNSUPPORTED_SPEC' },
    { name: 'spec_version not a version', type: 'root', input: mutate('root', (s) => (s['spec_version'] = 'one')), code: 'STW_MANIFEST_INVALID' },
    { name: 'version zero', type: 'targets', input: mutate('targets', (s) => (s['version'] = 0)), code: 'STW_MANIFEST_INVALID' },
    { name: 'version a float', type: 'targets', input: mutate('targets', (s) => (s['version'] = 1.5)), code: 'STW_MANIFEST_INVALID' },
    { name: 'version a string', type: 'targets', input: mutate('targets', (s) => (s['version'] = '1')), code: 'STW_MANIFEST_INVALID' },
    { name: 'expires without Z', type: 'snapshot', input: mutate('snapshot', (s) => (s['expires'] = '2030-01-01T00:00:00')), code: 'STW_MANIFEST_INVALID' },
    { name: 'expires impossible date', type: 'snapshot', input: mutate('snapshot', (s) => (s['expires'] = '2030-02-31T99:00:00Z')), code: 'STW_MANIFEST_INVALID' },
    { name: 'root missing a top-level role', type: 'root', input: mutate('root', (s) => delete s['roles']['timestamp']), code: 'STW_MANIFEST_INVALID' },
    { name: 'threshold zero', type: 'root', input: mutate('root', (s) => (s['roles']['root']['threshold'] = 0)), code: 'STW_MANIFEST_INVALID' },
    { name: 'repeated key ID in a role', type: 'root', input: mutate('root', (s) => (s['roles']['root']['keyids'] = ['k1', 'k1'])), code: 'STW_MANIFEST_INVALID' },
    { name: 'target without hashes', type: 'targets', input: mutate('targets', (s) => delete s['targets']['acme/t100-fw-1.2.0.bin']['hashes']), code: 'STW_MANIFEST_INVALID' },
    { name: 'target with empty hashes', type: 'targets', input: mutate('targets', (s) => (s['targets']['acme/t100-fw-1.2.0.bin']['hashes'] = {})), code: 'STW_MANIFEST_INVALID' },
    { name: 'target hash not hex', type: 'targets', input: mutate('targets', (s) => (s['targets']['acme/t100-fw-1.2.0.bin']['hashes'] = { sha256: 'xyz' })), code: 'STW_MANIFEST_INVALID' },
    { name: 'negative target length', type: 'targets', input: mutate('targets', (s) => (s['targets']['acme/t100-fw-1.2.0.bin']['length'] = -1)), code: 'STW_MANIFEST_INVALID' },
    { name: 'custom not an object', type: 'targets', input: mutate('targets', (s) => (s['targets']['acme/t100-fw-1.2.0.bin']['custom'] = 'x')), code: 'STW_MANIFEST_INVALID' },
    { name: 'delegation with paths and hash prefixes', type: 'targets', input: mutate('targets', (s) => (s['delegations']['roles'][0]['path_hash_prefixes'] = ['ab'])), code: 'STW_MANIFEST_INVALID' },
    { name: 'delegation without terminating', type: 'targets', input: mutate('targets', (s) => delete s['delegations']['roles'][0]['terminating']), code: 'STW_MANIFEST_INVALID' },
    { name: 'two delegations with one name', type: 'targets', input: mutate('targets', (s) => (s['delegations']['roles'][1]['name'] = 'acme')), code: 'STW_MANIFEST_INVALID' },
    { name: 'hash prefix not hex', type: 'targets', input: mutate('targets', (s) => (s['delegations']['roles'][1]['path_hash_prefixes'] = ['zz'])), code: 'STW_MANIFEST_INVALID' },
    { name: 'timestamp without snapshot.json', type: 'timestamp', input: mutate('timestamp', (s) => delete s['meta']['snapshot.json']), code: 'STW_MANIFEST_INVALID' },
    { name: 'meta version missing', type: 'snapshot', input: mutate('snapshot', (s) => delete s['meta']['acme.json']['version']), code: 'STW_MANIFEST_INVALID' },
    { name: 'signatures not an array', type: 'snapshot', input: { signed: (documents.snapshot as { signed: unknown }).signed, signatures: {} }, code: 'STW_MANIFEST_INVALID' },
    { name: 'signature without keyid', type: 'snapshot', input: { signed: (documents.snapshot as { signed: unknown }).signed, signatures: [{ sig: 'aa' }] }, code: 'STW_MANIFEST_INVALID' },
    { name: 'no signed part', type: 'snapshot', input: { signatures: [] }, code: 'STW_MANIFEST_INVALID' },
    { name: 'an array instead of an envelope', type: 'root', input: [], code: 'STW_MANIFEST_INVALID' },
  ];
  for (const c of cases) {
    try {
      Metadata.fromJSON(c.type, c.input);
      t.fail(`${c.name}: accepted`);
    } catch (error) {
      t.type(error, ManifestError, c.name);
      t.equal((error as ManifestError).code, c.code, c.name);
    }
  }
});

t.test('delegation path patterns never let * cross a slash', async (t) => {
  const metadata = Metadata.fromJSON('targets', documents.targets);
  const acme = metadata.signed.delegations?.role('acme');
  t.ok(acme?.isDelegatedPath('acme/t100.bin'));
  t.notOk(acme?.isDelegatedPath('acme/sub/t100.bin'));
  t.notOk(acme?.isDelegatedPath('globex/t100.bin'));
  t.notOk(acme?.isDelegatedPath('acme'));
  const cases: [string, string, boolean][] = [
    ['acme/t?00.bin', 'acme/t100.bin', true],
    ['acme/t?00.bin', 'acme/t1000.bin', false],
    ['acme/[ab]*', 'acme/beta', true],
    ['acme/[!ab]*', 'acme/beta', false],
    ['*/*.bin', 'acme/x.bin', true],
    ['*', 'acme/x.bin', false],
    ['acme/x.bin', 'acme/xxbin', false],
    ['acme/(x)+.bin', 'acme/(x)+.bin', true],
  ];
  for (const [pattern, path, expected] of cases) t.equal(matchesPathPattern(pattern, path), expected, `${pattern} vs ${path}`);
});

t.test('path_hash_prefixes match on the SHA-256 of the target path', async (t) => {
  const metadata = Metadata.fromJSON('targets', documents.targets);
  const bins = metadata.signed.delegations?.role('bins');
  const names = Array.from({ length: 2000 }, (_, i) => `file-${i}`);
  const inBin = names.filter((name) => /^(00|8f)/.test(sha256(name)));
  const outOfBin = names.filter((name) => !/^(00|8f)/.test(sha256(name)));
  t.ok(inBin.length > 0 && outOfBin.length > 0, 'both kinds of name exist');
  t.ok(inBin.every((name) => bins?.isDelegatedPath(name)));
  t.ok(outOfBin.every((name) => !bins?.isDelegatedPath(name)));
});

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

t.test('regression: a root holding an RSA PEM is served as parseable JSON (canonical form writes newlines raw)', async (t) => {
  const { rsaKey, buildRoot } = await import('../helpers/manifest-builders.js');
  const role = { keys: [rsaKey().publicKey], threshold: 1 };
  const metadata = Metadata.create(buildRoot({ roleKeys: { root: role, targets: role, snapshot: role, timestamp: role } }));
  const bytes = metadata.toBytes();
  t.doesNotThrow(() => JSON.parse(bytes.toString()));
  t.equal(Metadata.fromBytes('root', bytes).signedBytes().toString(), metadata.signedBytes().toString());
});
