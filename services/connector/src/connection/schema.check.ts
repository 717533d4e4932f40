import { Injectable } from '@nestjs/common';
import { TargetProfileService } from '../target-profile/target-profile.service';
import type { ConnectionCheck, ConnectionCheckResult } from '../target-profile/connection-check';

/** An admin's Test Connection reads the target's schema again, so a change at GoTo reaches the mapper's checks. */
@Injectable()
export class SchemaCheck implements ConnectionCheck {
  readonly name = 'the target schema';

  constructor(private readonly profile: TargetProfileService) {}

  async run(): Promise<ConnectionCheckResult> {
    const attributes = await this.profile.refresh();
    if (attributes === null) {
      return {
        sections: { schema: { published: false, userAttributes: null } },
        notes: ["the target publishes no /Schemas: mappings are checked against GoTo's documented attributes"],
      };
    }
    return { sections: { schema: { published: true, userAttributes: attributes.filter((a) => a.mutability !== 'readOnly').map((a) => a.path) } } };
  }
}
