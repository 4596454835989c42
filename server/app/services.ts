/**
 * Opens what the server runs on (database, blob store, online keys) from the config, or
 * takes ready-made ones, and starts the background re-signing of snapshot and timestamp.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { openBlobStore, type BlobStore } from '../blobs/index.js';
import type { Config } from '../config/config.js';
import { migrateToLatest, openDatabase, type OpenedDatabase } from '../db/index.js';
import type { Database } from '../db/schema.js';
import { createFleetServices, type FleetServices, type ProfileSource } from '../fleet/index.js';
import { createRolloutPlanner, sweepTimeouts, type RolloutPlanner } from '../fleet/rollouts/index.js';
import { createProfileServices, type ProfileServices } from '../profiles/index.js';
import { OnlineKeyring } from '../repository/online-keyring.js';
import { RepositoryService } from '../repository/repository-service.js';
import { WebhookDispatcher, pruneWebhookDeliveries } from '../webhooks/index.js';

export interface ServiceOverrides {
  readonly database?: OpenedDatabase;
  readonly blobs?: BlobStore;
  readonly keyring?: OnlineKeyring;
  readonly clock?: () => Date;
  /** The rollout planner check-ins consult (tests pass a fake). */
  readonly planner?: RolloutPlanner;
  /** Where director documents get each device's profile from. */
  readonly profiles?: ProfileSource;
}

export interface Services {
  readonly db: Kysely<Database>;
  readonly blobs: BlobStore;
  readonly keyring: OnlineKeyring;
  readonly repository: RepositoryService;
  readonly fleet: FleetServices;
  readonly profiles: ProfileServices;
  readonly clock: () => Date;
  startBackgroundWork(log: FastifyBaseLogger): void;
  close(): Promise<void>;
}

export async function openServices(config: Config, overrides: ServiceOverrides = {}): Promise<Services> {
  const database = overrides.database ?? openDatabase({ url: config.databaseUrl });
  await migrateToLatest(database.db);
  const blobs = overrides.blobs ?? openBlobStore(config.blobs);
  const keyring = overrides.keyring ?? (await OnlineKeyring.load(config.keysDir));
  const clock = overrides.clock ?? (() => new Date());
  const repository = new RepositoryService({ db: database.db, blobs, keyring, config, clock });
  const planner = overrides.planner ?? createRolloutPlanner();
  const profiles = createProfileServices({ db: database.db, clock });
  const fleet = createFleetServices({ db: database.db, dialect: database.dialect, keyring: () => keyring, clock, config, planner, profiles: overrides.profiles ?? profiles.catalog });
  let timer: NodeJS.Timeout | undefined;
  let fleetTimer: NodeJS.Timeout | undefined;
  const webhooks = new WebhookDispatcher({ db: database.db, clock }, { intervalMilliseconds: config.webhookIntervalMilliseconds, timeoutMilliseconds: config.webhookTimeoutMilliseconds, allowPrivateNetworks: config.webhookAllowPrivateNetworks });
  return {
    db: database.db,
    blobs,
    keyring,
    repository,
    fleet,
    profiles,
    clock,
    startBackgroundWork(log) {
      webhooks.start(log);
      if (config.fleetPruneIntervalSeconds > 0) {
        fleetTimer = setInterval(() => {
          Promise.all([fleet.prune(), sweepTimeouts(database.db, clock()), pruneWebhookDeliveries(database.db, clock(), config.webhookRetentionSeconds)]).catch((error: unknown) => log.error({ err: error }, 'housekeeping failed'));
        }, config.fleetPruneIntervalSeconds * 1000);
        fleetTimer.unref();
      }
      if (config.resignIntervalSeconds <= 0) return;
      timer = setInterval(() => {
        repository.resignIfDue().then(
          (published) => published !== 'nothing' && log.info({ published }, 're-signed online roles before expiry'),
          (error: unknown) => log.error({ err: error }, 're-signing online roles failed'),
        );
      }, config.resignIntervalSeconds * 1000);
      timer.unref();
    },
    async close() {
      if (timer) clearInterval(timer);
      if (fleetTimer) clearInterval(fleetTimer);
      await webhooks.stop();
      if (!overrides.database) await database.close();
    },
  };
}
