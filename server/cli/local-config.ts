/**
 * The server configuration for `steward init` and `serve`: `loadConfig` (defaults < file
 * < environment), with `--data-dir DIR` moving the defaults that live under `./data`
 * (database file, blob directory, keys directory) into DIR. Settings made explicitly in
 * the file or the environment still win.
 *
 * @example
 * localConfig(process.env, '/var/lib/steward'); // databaseUrl 'sqlite:/var/lib/steward/steward.db', ...
 */
import { join } from 'node:path';
import { defaultConfig, type Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';

export function localConfig(env: NodeJS.ProcessEnv, dataDir?: string, overrides: Partial<Config> = {}): Config {
  const loaded = loadConfig(env, overrides);
  if (dataDir === undefined) return loaded;
  const defaultBlobs = defaultConfig.blobs.kind === 'fs' ? defaultConfig.blobs.dir : undefined;
  return {
    ...loaded,
    databaseUrl: loaded.databaseUrl === defaultConfig.databaseUrl ? `sqlite:${join(dataDir, 'steward.db')}` : loaded.databaseUrl,
    blobs: loaded.blobs.kind === 'fs' && loaded.blobs.dir === defaultBlobs ? { kind: 'fs', dir: join(dataDir, 'blobs') } : loaded.blobs,
    keysDir: loaded.keysDir === defaultConfig.keysDir ? join(dataDir, 'keys') : loaded.keysDir,
  };
}
