import type { ServerResponse } from 'node:http';
import type { WatcherConfig } from '../config/watcher.config';
import { webhookClientState } from './entra-settings';
import type { EntraWebhook } from './entra-webhook';
import { GraphNotificationsController } from './graph-notifications.controller';

const config = { PROVISIONING_JOB_ID: 'own', ENTRA_WEBHOOK_CLIENT_STATE: 'own-secret-state' } as WatcherConfig;
const answered = { writeHead: () => ({ end: () => undefined }) } as unknown as ServerResponse;

/** What a notification batch POSTed for `jobId` wakes: each job's source is signalled only by its own clientState. */
function woken(jobId: string, clientState: string | undefined): string[] {
  const signals: string[] = [];
  const webhook = { get: (id: string) => ({ signal: { emit: () => signals.push(id) }, subscriptions: undefined }) } as unknown as EntraWebhook;
  const controller = new GraphNotificationsController(webhook, config);
  const body = { value: [{ subscriptionId: 's1', changeType: 'updated', resource: 'Users/x', clientState }] };
  if (jobId === config.PROVISIONING_JOB_ID) controller.receive(undefined, body, answered);
  else controller.receiveForJob(jobId, undefined, body, answered);
  return signals;
}

describe('Graph change notifications', () => {
  it("wake another job only with that job's own clientState", () => {
    expect(woken('second', webhookClientState('second', config))).toEqual(['second']);
    expect(woken('second', config.ENTRA_WEBHOOK_CLIENT_STATE)).toEqual([]);
    expect(woken('second', webhookClientState('third', config))).toEqual([]);
    expect(woken('second', undefined)).toEqual([]);
  });

  it("wake the watcher's own job with the configured secret, not with another job's", () => {
    expect(woken('own', 'own-secret-state')).toEqual(['own']);
    expect(woken('own', webhookClientState('second', config))).toEqual([]);
  });
});
