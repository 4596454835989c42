/**
 * `steward serve --dev` (what `npm start` runs): development settings over the embedded
 * defaults, so a fleet on one laptop reacts in seconds rather than minutes. A setting made
 * in the config file or the environment still wins; `STEWARD_ENV=production` refuses them.
 *
 * | setting | production default | development |
 * |---|---|---|
 * | `pollIntervalSeconds` | 300 | 10 |
 * | `offlineAfterSeconds` | 3600 | 120 |
 *
 * @example
 * const config = withDevelopmentSettings(localConfig(process.env));
 */
import { defaultConfig, type Config } from '../../config/config.js';

export const developmentSettings = {
  pollIntervalSeconds: 10, // seconds (the director's minimum)
  offlineAfterSeconds: 120, // seconds
} as const satisfies Partial<Config>;

/** `config` with each development setting applied where the loaded value is still the embedded default. */
export function withDevelopmentSettings(config: Config): Config {
  const result: { -readonly [K in keyof Config]: Config[K] } = { ...config };
  for (const [key, value] of Object.entries(developmentSettings) as [keyof typeof developmentSettings, number][]) {
    if (config[key] === defaultConfig[key]) result[key] = value;
  }
  return result;
}
