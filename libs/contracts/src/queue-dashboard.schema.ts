import { z } from 'zod';

/**
 * `POST /queue-dashboard/links` (admin): an address that opens the queue dashboard in a browser
 * without the Authorization header, which a browser's navigation cannot send. It carries a signed,
 * short-lived token in its path and works until `expiresAt`.
 */
export const queueDashboardLinkSchema = z.strictObject({
  url: z.string().startsWith('/queues/s/'),
  expiresAt: z.iso.datetime(),
});
export type QueueDashboardLink = z.infer<typeof queueDashboardLinkSchema>;
