// `steward serve --dev`: the development settings apply only where nothing was set explicitly.
import t from 'tap';
import { developmentSettings, withDevelopmentSettings } from '../../server/cli/commands/dev-settings.js';
import { localConfig } from '../../server/cli/index.js';

t.test('development settings replace the embedded defaults', async (t) => {
  const config = withDevelopmentSettings(localConfig({}));
  t.equal(config.pollIntervalSeconds, developmentSettings.pollIntervalSeconds);
  t.equal(config.pollIntervalSeconds, 10);
  t.equal(config.offlineAfterSeconds, 120);
  t.equal(config.webhookAllowPrivateNetworks, true, 'a test receiver on this machine may get webhooks');
  t.equal(localConfig({}).webhookAllowPrivateNetworks, false, 'refused without --dev');
});

t.test('a setting from the environment or the config file still wins', async (t) => {
  const config = withDevelopmentSettings(localConfig({}, undefined, { pollIntervalSeconds: 45 }));
  t.equal(config.pollIntervalSeconds, 45);
  t.equal(config.offlineAfterSeconds, 120, 'the others still apply');
});
