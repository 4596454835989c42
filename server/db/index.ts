export { openDatabase } from './open-database.js';
export type { OpenedDatabase, DatabaseHooks } from './open-database.js';
export { DEFAULT_DATABASE_URL, defaultDatabaseConfig } from './database-config.js';
export type { DatabaseConfig, DatabaseDialect, DatabaseLocation } from './database-config.js';
export { parseDatabaseUrl } from './parse-database-url.js';
export { migrateToLatest } from './migrate.js';
export { migrationProvider } from './migration-provider.js';
export { toNumber } from './to-number.js';
export { isUniqueViolation } from './unique-violation.js';
export { StorageError, isStorageError } from './storage-error.js';
export type { StorageErrorCode } from './storage-error.js';
export type {
  Database,
  VendorsTable,
  ApiTokensTable,
  BlobsTable,
  MetadataTable,
  ReleasesTable,
  VendorRow,
  NewVendor,
  ApiTokenRow,
  NewApiToken,
  ApiTokenUpdate,
  BlobRow,
  NewBlob,
  MetadataRow,
  NewMetadata,
  ReleaseRow,
  NewRelease,
} from './schema.js';
