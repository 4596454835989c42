// server/profiles/: merchant parameter profiles: layers, versions, maker-checker changes, the director's profile source.
export { createProfileServices } from './profile-services.js';
export type { ProfileServices } from './profile-services.js';
export { ProfileCatalog, defaultProfileCatalogConfig } from './profile-catalog.js';
export type { ProfileCatalogConfig, RenderedProfile } from './profile-catalog.js';
export { ProfileChanges } from './profile-changes.js';
export type { ChangeRequest, ProfileChangesOptions } from './profile-changes.js';
export type { ProfileChange } from './profile-change-record.js';
export { profileRoutes } from './profile-routes.js';
export { profileOperatorRoutes } from './profile-operator-routes.js';
export { deviceProfileRoutes } from './device-profile-routes.js';
export { LAYER_KEYS, SENSITIVE_KEYS, parseLayerName, formatLayerName } from './profile-layers.js';
export type { LayerKey, LayerName, ProfileLayers } from './profile-layers.js';
export { resolveProfile } from './resolve-profile.js';
export { profileDiff } from './profile-diff.js';
export type { DiffEntry } from './profile-diff.js';
export { profileAdoption } from './adoption.js';
export type { Adoption, LaggingTerminal, LagReason } from './adoption.js';
