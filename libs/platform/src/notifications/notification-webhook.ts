import type { Logger } from '@nestjs/common';

/**
 * POSTs an admin notice (quarantine, held deletions) as JSON to the configured webhook — a mail
 * gateway or chat hook. Delivery is best effort: a failure is logged, never thrown, because what the
 * notice is about is already durable and visible through the API.
 */
export async function postNotification(url: string | undefined, body: { event: string } & Record<string, unknown>, logger: Logger): Promise<void> {
  if (!url) return;
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) logger.error({ status: res.status, event: body.event }, 'notification webhook refused the notice');
  } catch (error) {
    logger.error({ err: (error as Error).message, event: body.event }, 'notification webhook unreachable');
  }
}
