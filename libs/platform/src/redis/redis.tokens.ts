/** A plain Redis connection for health checks and shared state (rate limits); BullMQ opens its own. */
export const REDIS = Symbol('REDIS');
