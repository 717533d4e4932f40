import type { NotificationEvent, NotificationEventKind } from '@roster/contracts';

/** How many events of each kind a digest lists; the rest are counted. */
export const DIGEST_LISTED = 20;

type EventOf<K extends NotificationEventKind> = Extract<NotificationEvent, { kind: K }>;

/** A job's events since its last digest: how many of each kind, and the first DIGEST_LISTED of each. */
export interface DigestContent {
  jobId: string;
  counts: Record<NotificationEventKind, number>;
  /** Deletions held over all the held cycles of the period. */
  heldDeletions: number;
  first: { [K in NotificationEventKind]: EventOf<K>[] };
}

export interface Mail {
  subject: string;
  text: string;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** One line of a mail: values come from directories and error messages, so line breaks and controls go. */
const line = (text: string, max = 300) => {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
const time = (iso: string) => iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');

/** The headline facts, most urgent first: what the subject says. */
function headline(d: DigestContent): string[] {
  return [
    d.counts['quarantine-entered'] > 0 ? 'quarantined' : '',
    d.counts['dead-letter'] > 0 ? plural(d.counts['dead-letter'], 'failure') : '',
    d.counts['deletions-held'] > 0 ? `${plural(d.heldDeletions, 'deletion')} held` : '',
    d.counts['quarantine-left'] > 0 ? 'left quarantine' : '',
  ].filter(Boolean);
}

/** The digest as a plain-text mail (no HTML: nothing from a directory can become markup or a link). */
export function renderDigest(d: DigestContent): Mail {
  const out: string[] = [`Provisioning job ${d.jobId}: what happened since the last notification.`, ''];
  const more = (kind: NotificationEventKind, listed: number) =>
    d.counts[kind] > listed ? [`  … and ${d.counts[kind] - listed} more`] : [];

  if (d.counts['quarantine-entered'] + d.counts['quarantine-left'] > 0) {
    out.push(`Quarantine: entered ${plural(d.counts['quarantine-entered'], 'time')}, left ${plural(d.counts['quarantine-left'], 'time')}`);
    const changes = [...d.first['quarantine-entered'], ...d.first['quarantine-left']].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    for (const e of changes) {
      out.push(
        e.kind === 'quarantine-entered'
          ? `  ${time(e.occurredAt)} entered (${e.quarantine === 'fatal' ? 'credentials or admin rights refused' : 'sustained failures'}): ${line(e.reason)}; next probe ${time(e.nextProbeAt)}`
          : `  ${time(e.occurredAt)} left: ${line(e.reason)}`,
      );
    }
    out.push('');
  }
  if (d.counts['deletions-held'] > 0) {
    out.push(`Held deletions: ${d.heldDeletions} disables/deletes wait for an admin's approval (${plural(d.counts['deletions-held'], 'cycle')})`);
    for (const e of d.first['deletions-held']) out.push(`  ${time(e.occurredAt)} cycle ${line(e.cycle, 80)}: ${e.held} over the threshold of ${e.threshold}`);
    out.push(...more('deletions-held', d.first['deletions-held'].length), '');
  }
  if (d.counts['dead-letter'] > 0) {
    const listed = d.first['dead-letter'];
    out.push(`Failures (dead letters): ${d.counts['dead-letter']}${d.counts['dead-letter'] > listed.length ? `, the first ${listed.length}:` : ':'}`);
    for (const e of listed) {
      out.push(`  ${time(e.occurredAt)} ${e.action} ${line(e.userName ?? e.userId, 120)} after ${plural(e.attempts, 'attempt')}: ${line(e.reason)}`);
    }
    out.push(...more('dead-letter', listed.length), '');
  }
  out.push('The provisioning log and the dead letters in the admin API have the details.');
  out.push('This is one digest per period; the job settings (notification) turn it off.');
  return { subject: `Roster job ${d.jobId}: ${headline(d).join(', ')}`, text: out.join('\n') };
}
