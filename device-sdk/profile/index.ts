export { ProfileApplier } from './profile-applier.js';
export type { ProfileEvent } from './profile-event.js';
export { defaultProfileApplierConfig } from './profile-host.js';
export type { ProfileApplierConfig, ProfileHost } from './profile-host.js';
export { defaultProfileValidator, validateProfile } from './profile-validator.js';
export type { ProfileValidator } from './profile-validator.js';
