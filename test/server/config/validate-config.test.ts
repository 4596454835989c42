// A configuration with a number out of range stops the server at start with STW_CONFIG_INVALID.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import Fastify from 'fastify';
import { defaultConfig, loadConfig, resolveConfig } from '../../../server/index.js';
import { stewardPlugin } from '../../../server/app/steward-plugin.js';
import { validateConfig } from '../../../server/config/validate-config.js';

t.test('the defaults are valid', async (t) => {
  t.equal(validateConfig(defaultConfig), defaultConfig);
});

t.test('each out-of-range number is named', async (t) => {
  const cases: [Partial<typeof defaultConfig>, string][] = [
    [{ pollIntervalSeconds: 5 }, 'pollIntervalSeconds must be an integer from 10 to 604800 (is 5)'],
    [{ pollIntervalSeconds: 30.5 }, 'pollIntervalSeconds must be an integer'],
    [{ port: 70_000 }, 'port must be an integer from 0 to 65535'],
    [{ resignBeforeFraction: 1.5 }, 'resignBeforeFraction must be a number from 0 to 1'],
    [{ signatureWindowSeconds: 0 }, 'signatureWindowSeconds must be an integer >= 1'],
    [{ maxCheckInBytes: Number.NaN }, 'maxCheckInBytes must be an integer >= 1 (is null)'],
    [{ offlineAfterSeconds: '3600' as unknown as number }, 'offlineAfterSeconds must be an integer >= 1 (is "3600")'],
    [{ webhookIntervalMilliseconds: 2 ** 31 }, 'webhookIntervalMilliseconds must be an integer from 0 to 2147483647'],
    [{ fleetPruneIntervalSeconds: 3_000_000 }, 'fleetPruneIntervalSeconds must be an integer from 0 to 2147483'],
    [{ webhookAllowPrivateNetworks: 'false' as unknown as boolean }, 'webhookAllowPrivateNetworks must be true or false (is "false")'],
  ];
  for (const [override, message] of cases) {
    const error = t.throws(() => validateConfig(resolveConfig(override)), { code: 'STW_CONFIG_INVALID' }, JSON.stringify(override)) as Error;
    t.match(error.message, message, `message for ${JSON.stringify(override)}`);
  }
  const both = t.throws(() => validateConfig(resolveConfig({ pollIntervalSeconds: 1, webhookTimeoutMilliseconds: 0 }))) as Error & { details?: { problems: { field: string }[] } };
  t.same(both.details?.problems.map((problem) => problem.field), ['pollIntervalSeconds', 'webhookTimeoutMilliseconds'], 'every wrong field at once');
  t.doesNotThrow(() => validateConfig(resolveConfig({ port: 0, fleetPruneIntervalSeconds: 0, webhookIntervalMilliseconds: 0, resignIntervalSeconds: 0 })), 'zero turns jobs off');
});

t.test('a configuration file with a poll interval below the director minimum stops the plugin at start', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-config-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'steward.json');
  writeFileSync(file, JSON.stringify({ pollIntervalSeconds: 5 }));
  const config = loadConfig({ STEWARD_CONFIG: file, DATABASE_URL: 'sqlite::memory:', STEWARD_BLOB_DIR: join(dir, 'blobs'), STEWARD_KEYS_DIR: join(dir, 'keys') }, { logLevel: 'silent' });
  t.equal(config.pollIntervalSeconds, 5, 'the file was read');
  const app = Fastify();
  t.teardown(() => app.close());
  await t.rejects(async () => {
    await app.register(stewardPlugin, { config });
    await app.ready();
  }, { code: 'STW_CONFIG_INVALID', message: /pollIntervalSeconds/ });
});
