import type { AuthStatuses } from '../auth/bearer-auth';
import type { GroupStore } from '../directory/group-store';
import type { UserStore } from '../directory/user-store';
import type { FaultInjector } from '../traffic/fault-injector';
import type { ValidationContext } from './scim-validator';

export interface ScimDeps {
  users: UserStore;
  groups: GroupStore;
  validation: ValidationContext;
  maxPageSize: number;
  faults: FaultInjector;
  statuses: AuthStatuses;
}
