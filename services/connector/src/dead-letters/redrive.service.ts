import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { AuditEmitter } from '@roster/platform';
import { DataSource } from 'typeorm';
import { DeadLetterRepository, type DeadLetter } from './dead-letter.repository';
import type { DeadLetterFilter } from '@roster/contracts';
import { MapperFeedback, type RedriveRequest } from './mapper-feedback';

const BATCH = 500;

export interface RedriveResult {
  redriven: number;
  items: { id: string; redrivenAs: string }[];
}

/**
 * A dead command is not sent again as it was: it may carry what made it fail (a bad mapping since
 * fixed) or a state the user has left. Re-driving asks the mapper to re-decide each user from the
 * user's current state and the mapping in force, with the whole desired state; the commands it
 * sends take the usual path (the user's lock, the stale-order check, check before write).
 */
@Injectable()
export class RedriveService {
  constructor(
    private readonly db: DataSource,
    private readonly deadLetters: DeadLetterRepository,
    private readonly audit: AuditEmitter,
    private readonly feedback: MapperFeedback,
  ) {}

  async redriveOne(id: string): Promise<RedriveResult> {
    const result = await this.redrive({ id }, id);
    if (result.redriven === 0) {
      const entry = await this.deadLetters.get(id);
      if (!entry) throw new NotFoundException(`no dead letter ${id}`);
      if (entry.status === 'resolved') {
        throw new ConflictException(`dead letter ${id} is resolved: a later command for its user succeeded (${entry.resolvedBy})`);
      }
      throw new ConflictException(`dead letter ${id} was already re-driven as ${entry.redrivenAs}`);
    }
    return result;
  }

  /** Every dead letter matching the filter at the time of the call; later failures are left for the next call. */
  async redriveMatching(filter: DeadLetterFilter): Promise<RedriveResult> {
    return this.redrive(filter, await this.deadLetters.newestId());
  }

  private async redrive(filter: DeadLetterFilter & { id?: string }, upToId: string): Promise<RedriveResult> {
    const result: RedriveResult = { redriven: 0, items: [] };
    for (;;) {
      const batch = await this.db.transaction(async (m) => {
        const entries = await this.deadLetters.takeForRedrive(m, filter, upToId, BATCH);
        if (entries.length === 0) return [];
        const requests = requestsPerUser(entries);
        const keyOf = new Map(requests.flatMap((r) => r.deadLetterIds.map((id) => [id, r.key] as const)));
        const items = entries.map((e) => ({ id: e.id, redrivenAs: keyOf.get(e.id)! }));
        // Queued before the entries are marked: a crash in between leaves them dead, and doing it
        // again queues the same keys, which BullMQ stores once.
        await this.feedback.redriveRequested(requests);
        await this.deadLetters.markRedriven(m, items);
        await this.audit.recordMany(requests.map((r) => receivedRecord(r, entries)));
        return items;
      });
      if (batch.length === 0) return result;
      result.redriven += batch.length;
      result.items.push(...batch);
    }
  }
}

/** A user's dead letters taken together are recomputed once: the mapper sends the whole state anyway. */
function requestsPerUser(entries: DeadLetter[]): RedriveRequest[] {
  const byUser = new Map<string, RedriveRequest>();
  for (const e of entries) {
    const user = `${e.provisioningJobId}\u0000${e.userId}`;
    const request = byUser.get(user);
    if (request) request.deadLetterIds.push(e.id);
    else {
      byUser.set(user, {
        key: `${e.provisioningJobId}/redrive-${e.id}`,
        provisioningJobId: e.provisioningJobId,
        userId: e.userId,
        correlationId: e.correlationId,
        deadLetterIds: [e.id],
      });
    }
  }
  return [...byUser.values()];
}

function receivedRecord(request: RedriveRequest, entries: DeadLetter[]) {
  const first = entries.find((e) => e.id === request.deadLetterIds[0])!;
  const ids = request.deadLetterIds.join(', ');
  return {
    provisioningJobId: request.provisioningJobId,
    correlationId: request.correlationId,
    messageId: request.key,
    action: 'Other' as const,
    step: 'received' as const,
    status: 'success' as const,
    reason: (
      `re-driven from dead letter ${ids}: the mapper recomputes the user's commands from its current state and mapping ` +
      `(dead letter ${first.id}, ${first.type}, failed after ${first.attempts} attempt(s): ${first.reason})`
    ).slice(0, 4000),
    source: { id: request.userId },
    target: { userName: first.command.matching[0].value },
    details: { deadLetterIds: request.deadLetterIds },
  };
}
