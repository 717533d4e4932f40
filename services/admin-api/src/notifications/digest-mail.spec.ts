import type { NotificationEvent } from '@roster/contracts';
import { renderDigest, type DigestContent } from './digest-mail';

const at = (s: number) => new Date(Date.UTC(2026, 11, 3, 14, 0, s)).toISOString();
const deadLetter = (i: number): Extract<NotificationEvent, { kind: 'dead-letter' }> => ({
  id: `d${i}`,
  provisioningJobId: 'tenant-a',
  occurredAt: at(i),
  kind: 'dead-letter',
  userId: `u${i}`,
  userName: `user${i}@example.com`,
  action: 'Create',
  reason: `409 conflict\r\nBcc: evil@example.com ${i}`,
  attempts: 8,
});

const empty = (): DigestContent => ({
  jobId: 'tenant-a',
  counts: { 'quarantine-entered': 0, 'quarantine-left': 0, 'deletions-held': 0, 'dead-letter': 0 },
  heldDeletions: 0,
  first: { 'quarantine-entered': [], 'quarantine-left': [], 'deletions-held': [], 'dead-letter': [] },
});

describe('digest mail', () => {
  it('counts every failure, lists the first ones given, and says how many more there are', () => {
    const d = empty();
    d.counts['dead-letter'] = 50;
    d.first['dead-letter'] = Array.from({ length: 20 }, (_, i) => deadLetter(i));
    d.counts['quarantine-entered'] = 1;
    d.first['quarantine-entered'] = [
      { id: 'q', provisioningJobId: 'tenant-a', occurredAt: at(30), kind: 'quarantine-entered', quarantine: 'failures', reason: '5xx for 10 minutes', nextProbeAt: at(59) },
    ];
    const mail = renderDigest(d);
    expect(mail.subject).toBe('Roster job tenant-a: quarantined, 50 failures');
    expect(mail.text).toContain('Failures (dead letters): 50, the first 20:');
    expect(mail.text).toContain('2026-12-03 14:00:19 UTC Create user19@example.com after 8 attempts: 409 conflict Bcc: evil@example.com 19');
    expect(mail.text).not.toContain('user20@');
    expect(mail.text).toContain('… and 30 more');
    expect(mail.text).toContain('Quarantine: entered 1 time, left 0 times');
    expect(mail.text).toContain('entered (sustained failures): 5xx for 10 minutes; next probe 2026-12-03 14:00:59 UTC');
    expect(mail.text.split('\n').every((l) => !l.includes('\r'))).toBe(true);
  });

  it('sums held deletions over cycles and names a quarantine left', () => {
    const d = empty();
    d.counts['deletions-held'] = 2;
    d.heldDeletions = 130;
    d.first['deletions-held'] = [
      { id: 'h1', provisioningJobId: 'tenant-a', occurredAt: at(1), kind: 'deletions-held', cycle: 'watch-7', held: 30, threshold: 20 },
      { id: 'h2', provisioningJobId: 'tenant-a', occurredAt: at(2), kind: 'deletions-held', cycle: 'watch-8', held: 100, threshold: 20 },
    ];
    d.counts['quarantine-left'] = 1;
    d.first['quarantine-left'] = [{ id: 'l', provisioningJobId: 'tenant-a', occurredAt: at(3), kind: 'quarantine-left', reason: 'a probe succeeded' }];
    const mail = renderDigest(d);
    expect(mail.subject).toBe('Roster job tenant-a: 130 deletions held, left quarantine');
    expect(mail.text).toContain("Held deletions: 130 disables/deletes wait for an admin's approval (2 cycles)");
    expect(mail.text).toContain('cycle watch-8: 100 over the threshold of 20');
    expect(mail.text).toContain('left: a probe succeeded');
    expect(mail.text).not.toContain('Failures');
  });
});
