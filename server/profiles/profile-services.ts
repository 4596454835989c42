/**
 * The profile services the routes and the fleet share: the catalog (director source and
 * device document renderer) and the change service, wired so that a publication on this
 * replica refreshes the catalog at once.
 *
 * @example
 * const profiles = createProfileServices({ db, clock });
 * createFleetServices({ ..., profiles: profiles.catalog });
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { ProfileCatalog, type ProfileCatalogConfig } from './profile-catalog.js';
import { ProfileChanges } from './profile-changes.js';

export interface ProfileServices {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  readonly catalog: ProfileCatalog;
  readonly changes: ProfileChanges;
}

export function createProfileServices(options: { db: Kysely<Database>; clock: () => Date; catalog?: Partial<ProfileCatalogConfig> }): ProfileServices {
  const catalog = new ProfileCatalog({ db: options.db, ...(options.catalog ? { config: options.catalog } : {}) });
  const changes = new ProfileChanges({ db: options.db, clock: options.clock, published: (merchants) => catalog.invalidate(merchants) });
  return { db: options.db, clock: options.clock, catalog, changes };
}
