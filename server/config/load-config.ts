/**
 * Configuration from a JSON file and the environment, over `defaultConfig`.
 * Precedence: environment > file > defaults. The file is `$STEWARD_CONFIG` when set.
 *
 * | variable | field |
 * |---|---|
 * | `STEWARD_HOST`, `STEWARD_PORT` (or `PORT`) | host, port |
 * | `DATABASE_URL` | databaseUrl |
 * | `STEWARD_BLOB_DIR` | blobs = fs directory |
 * | `STEWARD_S3_BUCKET`, `STEWARD_S3_REGION`, `STEWARD_S3_ENDPOINT`, `STEWARD_S3_PREFIX`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | blobs = S3 |
 * | `STEWARD_KEYS_DIR` | keysDir |
 * | `STEWARD_MAX_ARTIFACT_BYTES` | maxArtifactBytes |
 * | `STEWARD_LOG_LEVEL` | logLevel |
 * | `STEWARD_PRESIGN_DOWNLOADS` (`true`/`false`) | presignDownloads |
 * | `STEWARD_WEBHOOK_INTERVAL_MS`, `STEWARD_WEBHOOK_TIMEOUT_MS` | webhookIntervalMilliseconds, webhookTimeoutMilliseconds |
 * | `STEWARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS` (`true`/`false`) | webhookAllowPrivateNetworks |
 */
import { readFileSync } from 'node:fs';
import { defaultConfig, type BlobConfig, type Config } from './config.js';
import { stewardError } from '../errors.js';

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const file = env['STEWARD_CONFIG'] ? readConfigFile(env['STEWARD_CONFIG']) : {};
  return { ...defaultConfig, ...file, ...fromEnvironment(env), ...overrides };
}

function readConfigFile(path: string): Partial<Config> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<Config>;
  } catch (error) {
    throw stewardError('STW_REQUEST_INVALID', `configuration file ${path} could not be read`, { path }, error);
  }
}

function fromEnvironment(env: NodeJS.ProcessEnv): Partial<Config> {
  const config: { -readonly [K in keyof Config]?: Config[K] } = {};
  if (env['STEWARD_HOST']) config.host = env['STEWARD_HOST'];
  const port = env['STEWARD_PORT'] ?? env['PORT'];
  if (port) config.port = integer(port, 'STEWARD_PORT');
  if (env['DATABASE_URL']) config.databaseUrl = env['DATABASE_URL'];
  if (env['STEWARD_KEYS_DIR']) config.keysDir = env['STEWARD_KEYS_DIR'];
  if (env['STEWARD_MAX_ARTIFACT_BYTES']) config.maxArtifactBytes = integer(env['STEWARD_MAX_ARTIFACT_BYTES'], 'STEWARD_MAX_ARTIFACT_BYTES');
  if (env['STEWARD_LOG_LEVEL']) config.logLevel = env['STEWARD_LOG_LEVEL'];
  if (env['STEWARD_PRESIGN_DOWNLOADS']) config.presignDownloads = env['STEWARD_PRESIGN_DOWNLOADS'] === 'true';
  if (env['STEWARD_WEBHOOK_INTERVAL_MS']) config.webhookIntervalMilliseconds = integer(env['STEWARD_WEBHOOK_INTERVAL_MS'], 'STEWARD_WEBHOOK_INTERVAL_MS');
  if (env['STEWARD_WEBHOOK_TIMEOUT_MS']) config.webhookTimeoutMilliseconds = integer(env['STEWARD_WEBHOOK_TIMEOUT_MS'], 'STEWARD_WEBHOOK_TIMEOUT_MS');
  if (env['STEWARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS']) config.webhookAllowPrivateNetworks = env['STEWARD_WEBHOOK_ALLOW_PRIVATE_NETWORKS'] === 'true';
  const blobs = blobsFromEnvironment(env);
  if (blobs) config.blobs = blobs;
  return config;
}

function blobsFromEnvironment(env: NodeJS.ProcessEnv): BlobConfig | undefined {
  if (env['STEWARD_S3_BUCKET']) {
    return {
      kind: 's3',
      bucket: env['STEWARD_S3_BUCKET'],
      region: env['STEWARD_S3_REGION'] ?? 'us-east-1',
      endpoint: env['STEWARD_S3_ENDPOINT'],
      prefix: env['STEWARD_S3_PREFIX'],
      accessKeyId: env['AWS_ACCESS_KEY_ID'],
      secretAccessKey: env['AWS_SECRET_ACCESS_KEY'],
    };
  }
  if (env['STEWARD_BLOB_DIR']) return { kind: 'fs', dir: env['STEWARD_BLOB_DIR'] };
  return undefined;
}

function integer(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0) throw stewardError('STW_REQUEST_INVALID', `${name} must be a non-negative integer`, { variable: name });
  return parsed;
}
