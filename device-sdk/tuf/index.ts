export { Updater } from './updater.js';
export type { UpdaterOptions, RefreshResult } from './updater.js';
export { defaultUpdaterConfig, resolveUpdaterConfig } from './config.js';
export type { UpdaterConfig } from './config.js';
export { initialiseTrustedRoot } from './initialise.js';
export type { FoundTarget } from './delegation-search.js';
export { encodeRoleName } from './role-name.js';
