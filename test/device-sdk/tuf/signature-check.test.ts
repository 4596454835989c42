import t from 'tap';
import { ManifestError } from '../../../manifests/index.js';
import { SignatureCache, uncachedSignatureCheck } from '../../../device-sdk/tuf/signature-check.js';
import { Keyring } from '../../helpers/tuf-keys.js';
import { TufRepository } from '../../helpers/tuf-repository.js';

function authorityOf(keyring: Keyring, threshold = keyring.threshold) {
  return { keys: keyring.keyMap(), threshold };
}

t.test('the same bytes under the same authority are verified once', async (t) => {
  const repo = await TufRepository.create();
  const cache = new SignatureCache({});
  const authority = authorityOf(repo.keyring('timestamp'));
  const first = cache.verify('timestamp', repo.metadata('timestamp'), authority, 'timestamp');
  const second = cache.verify('timestamp', Buffer.from(repo.metadata('timestamp')), authorityOf(repo.keyring('timestamp')), 'timestamp');
  t.equal(second, first, 'the very same verified object');
});

t.test('other bytes, or another authority, are verified again', async (t) => {
  const repo = await TufRepository.create();
  const cache = new SignatureCache({});
  const authority = authorityOf(repo.keyring('timestamp'));
  cache.verify('timestamp', repo.metadata('timestamp'), authority, 'timestamp');
  await repo.publish();
  t.equal(cache.verify('timestamp', repo.metadata('timestamp'), authority, 'timestamp').signed.version, 2, 'new bytes');
  const other = Keyring.generate();
  t.throws(() => cache.verify('timestamp', repo.metadata('timestamp'), authorityOf(other), 'timestamp'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, 'other keys');
  t.throws(() => cache.verify('timestamp', repo.metadata('timestamp'), { keys: authority.keys, threshold: 2 }, 'timestamp'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' }, 'higher threshold');
});

t.test('a failed verification is not remembered', async (t) => {
  const repo = await TufRepository.create();
  const cache = new SignatureCache({});
  const forged = await repo.forge('targets', () => {}, []);
  const authority = authorityOf(repo.keyring('targets'));
  for (let i = 0; i < 2; i++) t.throws(() => cache.verify('targets', forged, authority, 'targets'), ManifestError);
});

t.test('a root is checked against its own root keys with the self authority', async (t) => {
  const repo = await TufRepository.create({ roles: { root: { count: 2, threshold: 2 } } });
  const check = uncachedSignatureCheck({});
  t.equal(check.verify('root', repo.metadata('root'), 'self', 'root').signed.version, 1);
  const halfSigned = await repo.forge('root', () => {}, [repo.keyring('root').signers[0]!]);
  t.throws(() => check.verify('root', halfSigned, 'self', 'root'), { code: 'STW_MANIFEST_THRESHOLD_NOT_MET' });
});
