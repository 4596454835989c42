import t from 'tap';
import { defaultMaxLength, defaultUpdaterConfig, resolveUpdaterConfig } from '../../../device-sdk/tuf/config.js';

t.test('each role has its default cap, and a per-role cap replaces it', async (t) => {
  const config = resolveUpdaterConfig({ roleMaxLength: { acme: 1234, timestamp: 999 } });
  t.equal(defaultMaxLength(config, 'root'), defaultUpdaterConfig.rootMaxLength);
  t.equal(defaultMaxLength(config, 'timestamp'), 999);
  t.equal(defaultMaxLength(config, 'snapshot'), defaultUpdaterConfig.snapshotMaxLength);
  t.equal(defaultMaxLength(config, 'targets'), defaultUpdaterConfig.targetsMaxLength);
  t.equal(defaultMaxLength(config, 'acme'), 1234);
  t.equal(defaultMaxLength(config, 'globex'), defaultUpdaterConfig.targetsMaxLength, 'delegated roles default to the targets cap');
});

t.test('a partial config keeps every other default', async (t) => {
  const config = resolveUpdaterConfig({ maxDelegations: 4 });
  t.equal(config.maxDelegations, 4);
  t.equal(config.maxRootRotations, defaultUpdaterConfig.maxRootRotations);
});
