export { enrolDevice } from './enrol-device.js';
export type { EnrolOptions, EnrolmentMethod } from './enrol-device.js';
export { IdentityStore } from './identity-store.js';
export { endpointUrl } from './device-identity.js';
export type { DeviceEndpoints, DeviceIdentity, TrustedRootCopy } from './device-identity.js';
