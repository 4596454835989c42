import { StorageError } from './storage-error.js';
import type { DatabaseLocation } from './database-config.js';

/**
 * Splits a database URL into the dialect and what its driver needs.
 *
 * @example
 * parseDatabaseUrl('sqlite:./data/steward.db') // { dialect: 'sqlite', path: './data/steward.db' }
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  if (url.startsWith('sqlite:')) {
    let path = url.slice('sqlite:'.length);
    // `sqlite:///abs/path` and `sqlite://./rel` are accepted as spellings of `sqlite:/abs/path`.
    if (path.startsWith('//')) path = path.slice(2);
    if (path === '') throw new StorageError('STW_DB_UNSUPPORTED_URL', 'a sqlite: URL needs a file path or :memory:', { details: { url } });
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    return { dialect: 'postgres', connectionString: url };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new StorageError('STW_DB_UNSUPPORTED_URL', `unsupported database URL scheme ${scheme ?? '(none)'}`, {
    details: { scheme: scheme ?? null },
  });
}
