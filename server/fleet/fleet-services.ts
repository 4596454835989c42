/**
 * The fleet's services, wired once from the server's database, keys, clock and config:
 * device request authentication, enrolment, the director (root and per-device documents),
 * check-ins, and device administration; plus the pruning of expired nonces, challenges and
 * old check-in history.
 *
 * @example
 * const fleet = createFleetServices({ db, dialect: 'sqlite', keyring: () => keyring, clock, config, planner });
 * await fleet.prune();
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config/config.js';
import type { DatabaseDialect } from '../db/index.js';
import type { Database } from '../db/schema.js';
import type { OnlineKeyring } from '../repository/online-keyring.js';
import { CheckInService } from './check-in/check-in-service.js';
import { CheckInWriter } from './check-in/check-in-writer.js';
import { DeviceAdmin } from './devices/device-admin.js';
import { DeviceRecords } from './devices/device-record.js';
import { DirectorRoots } from './director/director-roots.js';
import { DirectorService } from './director/director-service.js';
import { noProfiles, type ProfileSource } from './director/profile-source.js';
import { pruneChallenges } from './enrolment/challenges.js';
import { EnrolmentService } from './enrolment/enrolment-service.js';
import { DeviceAuthenticator } from './identity/device-authenticator.js';
import { DeviceKeyCache } from './identity/device-keys.js';
import { NonceLedger } from './identity/nonce-ledger.js';
import type { RolloutPlanner } from './rollouts/rollout-planner.js';

export type FleetConfig = Pick<
  Config,
  | 'directorLifetimeSeconds' | 'directorResignBeforeFraction' | 'pollIntervalSeconds' | 'offlineAfterSeconds' | 'signatureWindowSeconds'
  | 'enrolmentChallengeSeconds' | 'maxCheckInBytes' | 'checkInHistoryIntervalSeconds' | 'checkInHistoryRetentionSeconds'
>;

export interface FleetServicesOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DatabaseDialect;
  readonly keyring: () => OnlineKeyring;
  readonly clock: () => Date;
  readonly config: FleetConfig;
  readonly planner: RolloutPlanner;
  readonly profiles?: ProfileSource;
}

export interface FleetServices {
  readonly db: Kysely<Database>;
  readonly clock: () => Date;
  readonly config: FleetConfig;
  readonly planner: RolloutPlanner;
  readonly authenticator: DeviceAuthenticator;
  readonly enrolment: EnrolmentService;
  readonly directorRoots: DirectorRoots;
  readonly director: DirectorService;
  readonly checkIns: CheckInService;
  readonly devices: DeviceAdmin;
  /** Deletes expired nonces and challenges and history past retention; returns counts. */
  prune(): Promise<{ nonces: number; challenges: number; checkIns: number }>;
}

/** Batches written at once: SQLite has one writer; a PostgreSQL pool can take a few. */
const WRITE_CONCURRENCY: Record<DatabaseDialect, number> = { sqlite: 1, postgres: 4 };

export function createFleetServices(options: FleetServicesOptions): FleetServices {
  const { db, clock, config, planner } = options;
  const concurrency = WRITE_CONCURRENCY[options.dialect];
  const nonces = new NonceLedger(db, { concurrency });
  const directorRoots = new DirectorRoots({ db, keyring: options.keyring, clock });
  const director = new DirectorService({ db, roots: directorRoots, lifetimeSeconds: config.directorLifetimeSeconds, resignBeforeFraction: config.directorResignBeforeFraction });
  return {
    db,
    clock,
    config,
    planner,
    authenticator: new DeviceAuthenticator({ devices: new DeviceRecords(db), clock, windowSeconds: config.signatureWindowSeconds, nonces, keys: new DeviceKeyCache() }),
    enrolment: new EnrolmentService({ db, clock, directorRoots, challengeSeconds: config.enrolmentChallengeSeconds }),
    directorRoots,
    director,
    checkIns: new CheckInService({
      db, clock, planner, director,
      profiles: options.profiles ?? noProfiles,
      writer: new CheckInWriter(db, { concurrency }),
      pollIntervalSeconds: config.pollIntervalSeconds,
      historyIntervalSeconds: config.checkInHistoryIntervalSeconds,
    }),
    devices: new DeviceAdmin({ db, clock, offlineAfterSeconds: config.offlineAfterSeconds }),
    async prune() {
      const now = clock();
      const retention = config.checkInHistoryRetentionSeconds;
      let checkIns = 0;
      if (retention > 0) {
        const cutoff = new Date(now.getTime() - retention * 1000).toISOString();
        checkIns = Number((await db.deleteFrom('check_ins').where('at', '<', cutoff).executeTakeFirst()).numDeletedRows);
      }
      return { nonces: await nonces.prune(now), challenges: await pruneChallenges(db, now), checkIns };
    },
  };
}
