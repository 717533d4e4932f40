import { Injectable } from '@nestjs/common';
import type { DirectorySource, DirectoryUserSnapshot, SnapshotPage } from '@roster/directory';
import { DemoChangeFeed } from './demo-change-feed';
import { DemoDirectoryRepository } from './demo-directory.repository';

const PAGE = 1000;

/** The demo directory seen through the same interface as Entra ID or LDAP. */
@Injectable()
export class DemoDirectorySource implements DirectorySource {
  readonly kind = 'demo';

  constructor(
    private readonly directory: DemoDirectoryRepository,
    private readonly feed: DemoChangeFeed,
  ) {}

  currentCursor(): Promise<string> {
    return this.feed.head();
  }

  async *changesSince(cursor: string): AsyncIterable<SnapshotPage> {
    let seq = cursor;
    for (;;) {
      const { userIds, lastSeq, count } = await this.feed.changedUserIds(seq, PAGE);
      if (count === 0) return;
      yield { users: await this.directory.snapshots(userIds), cursor: lastSeq };
      seq = lastSeq;
      if (count < PAGE) return;
    }
  }

  async *allUsers(): AsyncIterable<DirectoryUserSnapshot[]> {
    let after: string | null = null;
    for (;;) {
      const ids = await this.directory.userIdsAfter(after, PAGE);
      if (ids.length === 0) return;
      yield await this.directory.snapshots(ids);
      after = ids.at(-1)!;
    }
  }

  userIdsAfter(afterId: string | null, limit: number): Promise<string[]> {
    return this.directory.userIdsAfter(afterId, limit);
  }

  snapshots(ids: string[]): Promise<DirectoryUserSnapshot[]> {
    return this.directory.snapshots(ids);
  }

  onChange(listener: () => void): () => void {
    this.directory.changes.on('change', listener);
    return () => this.directory.changes.off('change', listener);
  }
}
