import { SetMetadata } from '@nestjs/common';

/**
 * Metadata key of who may call a route where a service authenticates its routes (the admin API).
 * A route without it needs the `admin` role, so a route added without thought is closed, not open.
 */
export const ROUTE_ACCESS = 'roster:route-access';
export type RouteAccess = 'public' | 'reader';

/** Answers without a credential: only the probes, which orchestrators call without one and which tell nothing but up or down. */
export const PublicRoute = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'public' satisfies RouteAccess);

/** Reveals no secret and takes no action, so the `reader` role is enough. */
export const ReaderRoute = (): ClassDecorator & MethodDecorator => SetMetadata(ROUTE_ACCESS, 'reader' satisfies RouteAccess);

/**
 * Metadata key of routes a pipeline service serves without the internal credential although the
 * admin API would want a role for them (see InternalAuthGuard).
 */
export const OPEN_ON_PIPELINE = 'roster:open-on-pipeline';

/**
 * Metrics: Prometheus scrapes a pipeline service on the private network without a credential, while
 * the admin API, the one port meant to be published, asks for a reader key.
 */
export const OpenOnPipeline = (): ClassDecorator & MethodDecorator => SetMetadata(OPEN_ON_PIPELINE, true);
