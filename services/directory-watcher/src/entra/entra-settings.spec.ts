import { loadConfig } from '@roster/platform';
import { watcherConfigSchema } from '../config/watcher.config';
import { entraWebhookOf } from './entra-settings';

const config = (webhook: Record<string, string>) => loadConfig('directory-watcher', watcherConfigSchema, { PROVISIONING_JOB_ID: 'own', ...webhook });
const on = { ENTRA_WEBHOOK_URL: 'https://roster.example.com/graph/notifications/', ENTRA_WEBHOOK_CLIENT_STATE: 'installation-secret' };

describe('change notification webhook of a job', () => {
  it("keeps the bare URL and secret for the watcher's own job, so its earlier subscriptions are taken over", () => {
    expect(entraWebhookOf('own', config(on))).toEqual({ url: on.ENTRA_WEBHOOK_URL, clientState: 'installation-secret' });
  });

  it('gives every other job the URL followed by its id and a clientState of its own, at most 128 characters', () => {
    const a = entraWebhookOf('tenant-a', config(on))!;
    const b = entraWebhookOf('tenant-b', config(on))!;
    expect(a.url).toBe('https://roster.example.com/graph/notifications/tenant-a');
    expect(new Set([a.clientState, b.clientState, 'installation-secret']).size).toBe(3);
    expect(a.clientState.length).toBeLessThanOrEqual(128);
    // Derived from the secret: another installation's secret gives another clientState.
    expect(entraWebhookOf('tenant-a', config({ ...on, ENTRA_WEBHOOK_CLIENT_STATE: 'other' }))!.clientState).not.toBe(a.clientState);
  });

  it('has none without ENTRA_WEBHOOK_URL', () => {
    expect(entraWebhookOf('tenant-a', config({}))).toBeUndefined();
  });
});
