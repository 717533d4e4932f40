import { Logger } from '@nestjs/common';
import { GraphClient } from '@roster/graph-client';
import { AssignmentFingerprint } from './assignment-fingerprint';
import type { EntraSettings } from './entra-settings';
import { EntraChangeSignal } from './entra-change-signal';
import type { EntraMirrorRepository, AssignmentRow } from './entra-mirror.repository';
import { readAhead } from './read-ahead';

const SELECT = ['id', 'principalId', 'principalType', 'appRoleId'];

/**
 * The app's assignment list, for which Graph has no delta query and sends no notifications. Each
 * cycle starts a read-only check of it in the background (one at a time): its fingerprint against
 * the one saved with the mirror. A difference wakes the watcher, and the next cycle reads the list
 * into the mirror, which journals every user it puts in or out of scope. So a cycle never waits for
 * a long unchanged list (100,000 direct assignments take seconds to read), and the list is still
 * read as often as cycles run.
 */
export class EntraAssignments {
  private readonly logger = new Logger(EntraAssignments.name);
  private readonly servicePrincipalId: string;
  private checking?: Promise<void>;
  private changed = false;

  constructor(
    private readonly graph: GraphClient,
    private readonly mirror: EntraMirrorRepository,
    private readonly signal: EntraChangeSignal,
    settings: EntraSettings,
  ) {
    this.servicePrincipalId = settings.servicePrincipalId;
  }

  /** Reads the list into the mirror if a check found it changed; otherwise starts the next check. */
  async catchUp(): Promise<void> {
    if (this.changed) await this.read(true);
    else this.checking ??= this.check().finally(() => (this.checking = undefined));
  }

  /** Reads the list into the mirror, whatever it was; `journal` records the users whose scope changed. */
  async read(journal: boolean): Promise<void> {
    this.changed = false;
    try {
      const round = await this.mirror.nextRound();
      const fingerprint = new AssignmentFingerprint();
      for await (const page of readAhead(this.pages())) {
        fingerprint.add(page);
        await this.mirror.applyAssignments(page, round, journal);
      }
      await this.mirror.finishAssignments(round, journal, fingerprint.value);
    } catch (error) {
      this.changed = true;
      throw error;
    }
  }

  /** A check under way ends before the source is closed. */
  async stop(): Promise<void> {
    await this.checking;
  }

  private async check(): Promise<void> {
    try {
      const current = new AssignmentFingerprint();
      for await (const page of this.pages()) current.add(page);
      if (current.value === (await this.mirror.syncState()).assignmentsFingerprint) return;
      this.changed = true;
      this.signal.emit();
    } catch (error) {
      const err = error instanceof Error ? error.message : String(error);
      this.logger.warn({ err }, 'Could not check the app assignments; the next cycle retries');
    }
  }

  /** Assignments of users and groups; service principals assigned to the app are not provisioned. */
  private async *pages(): AsyncGenerator<AssignmentRow[]> {
    for await (const page of this.graph.appRoleAssignedTo(this.servicePrincipalId, { select: SELECT })) {
      yield page.filter((a): a is typeof a & AssignmentRow => a.principalType === 'User' || a.principalType === 'Group');
    }
  }
}
