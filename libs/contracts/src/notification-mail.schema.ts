import { z } from 'zod';

/** The answer to "send test mail": the mail server took it for these recipients. */
export const notificationTestResultSchema = z.strictObject({
  sent: z.literal(true),
  recipients: z.array(z.string()),
  messageId: z.string(),
});
export type NotificationTestResult = z.infer<typeof notificationTestResultSchema>;
