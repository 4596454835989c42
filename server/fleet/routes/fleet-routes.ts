/**
 * Every fleet route (enrolment, signed check-in, director root, operator device
 * administration) as one encapsulated Fastify plugin over the fleet services.
 *
 * @example
 * await app.register(fleetRoutes, { fleet: createFleetServices(...) });
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FleetServices } from '../fleet-services.js';
import { deviceAdminRoutes } from './device-admin-routes.js';
import { deviceRoutes } from './device-routes.js';
import { directorRoutes } from './director-routes.js';
import { enrolmentAdminRoutes } from './enrolment-admin-routes.js';

export const fleetRoutes: FastifyPluginAsync<{ fleet: FleetServices }> = async (app, { fleet }) => {
  await app.register(deviceRoutes, { fleet });
  await app.register(directorRoutes, { fleet });
  await app.register(enrolmentAdminRoutes, { fleet });
  await app.register(deviceAdminRoutes, { fleet });
};
