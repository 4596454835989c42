/**
 * The migrations, listed statically (no directory scan: works the same from `tsx`, from the
 * compiled `dist/`, and when the server is bundled). Names are date-prefixed so kysely's
 * alphabetical order is their chronological order. Add a new file in `migrations/` and one
 * line here; never edit or reorder an entry that has shipped.
 */
import type { Migration, MigrationProvider } from 'kysely';
import * as repository from './migrations/2026-11-27-001-repository.js';
import * as fleet from './migrations/2026-11-28-002-fleet.js';
import * as rollouts from './migrations/2026-11-28-003-rollouts.js';
import * as profiles from './migrations/2026-11-29-004-profiles.js';
import * as profileGuards from './migrations/2026-11-30-005-profile-guards.js';
import * as auditAppendOnly from './migrations/2026-11-30-006-audit-append-only.js';

const migrations: Record<string, Migration> = {
  '2026-11-27-001-repository': repository,
  '2026-11-28-002-fleet': fleet,
  '2026-11-28-003-rollouts': rollouts,
  '2026-11-29-004-profiles': profiles,
  '2026-11-30-005-profile-guards': profileGuards,
  '2026-11-30-006-audit-append-only': auditAppendOnly,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...migrations }),
};
