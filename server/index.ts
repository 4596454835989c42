// server/: the Steward service. Run it alone (buildServer) or inside your Fastify app (stewardPlugin).
export { buildServer } from './app/build-server.js';
export { stewardPlugin } from './app/steward-plugin.js';
export type { StewardPluginOptions } from './app/steward-plugin.js';
export type { ServiceOverrides } from './app/services.js';
export { defaultConfig, resolveConfig } from './config/config.js';
export type { Config, BlobConfig } from './config/config.js';
export { loadConfig } from './config/load-config.js';
export { stewardError, isStewardError } from './errors.js';
export type { StewardError, StewardErrorCode } from './errors.js';
export { verifyWebhook } from './webhooks/index.js';
export type { WebhookRequest, VerifyWebhookOptions, WebhookVerification, WebhookVerificationCode } from './webhooks/index.js';
export { OnlineKeyring } from './repository/online-keyring.js';
export { RepositoryService } from './repository/repository-service.js';
export { issueToken } from './auth/tokens.js';
export { createFleetServices, fleetRoutes, DeviceAuthenticator, issueEnrolmentToken, replaceManufacturingCas, noProfiles } from './fleet/index.js';
export type { FleetServices, FleetConfig, ProfileSource, DeviceRecord, DeviceView, FleetSummary, CheckInRequest, FlagName } from './fleet/index.js';
export { createProfileServices, ProfileCatalog, ProfileChanges, profileRoutes, profileOperatorRoutes, deviceProfileRoutes } from './profiles/index.js';
export type { ProfileServices, ProfileCatalogConfig, ProfileChange, ChangeRequest, DiffEntry, Adoption } from './profiles/index.js';
