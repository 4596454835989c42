/**
 * `steward serve --dev` (what `npm start` runs): development settings over the embedded
 * defaults, so a fleet on one laptop reacts in seconds rather than minutes. A setting made
 * in the config file or the environment still wins unless it equals the embedded default
 * (it cannot be told from an unset one); `STEWARD_ENV=production` refuses them.
 *
 * | setting | production default | development |
 * |---|---|---|
 * | `pollIntervalSeconds` | 300 | 10 |
 * | `offlineAfterSeconds` | 3600 | 120 |
 * | `webhookAllowPrivateNetworks` | false | true (a merchant's test receiver on this machine or network) |
 *
 * @example
 * const config = withDevelopmentSettings(localConfig(process.env));
 */
import { defaultConfig, type Config } from '../../config/config.js';

export const developmentSettings = {
  pollIntervalSeconds: 10, // seconds (the director's minimum)
  offlineAfterSeconds: 120, // seconds
  webhookAllowPrivateNetworks: true,
} as const satisfies Partial<Config>;

/** `config` with each development setting applied where the loaded value is still the embedded default. */
export function withDevelopmentSettings(config: Config): Config {
  const result: { -readonly [K in keyof Config]: Config[K] } = { ...config };
  for (const key of Object.keys(developmentSettings) as (keyof typeof developmentSettings)[]) {
    if (config[key] === defaultConfig[key]) Object.assign(result, { [key]: developmentSettings[key] });
  }
  return result;
}
