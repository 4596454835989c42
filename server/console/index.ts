// The web console: serving its built files, and the read models only the console needs.
export { consoleRoutes } from './console-routes.js';
export type { ConsoleRoutesOptions } from './console-routes.js';
export { resolveConsoleDir } from './console-dir.js';
export { CONSOLE_CSP, CONSOLE_SECURITY_HEADERS } from './security-headers.js';
export { vendorAdoption } from './vendor-adoption.js';
export type { ReleaseAdoption, VendorAdoption } from './vendor-adoption.js';
export { vendorAdoptionRoutes } from './vendor-adoption-routes.js';
