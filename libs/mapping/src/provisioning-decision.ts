import {
  AssignmentChangeType as T,
  ProvisioningCommandType as C,
  type AssignmentChangeEvent,
  type Attributes,
  type MatchingAttribute,
} from '@roster/contracts';
import { changedAttributes, mapUser, type AttributeMapping } from './attribute-mapping';

/** What the mapper last decided the target holds for one user. */
export interface ProvisionedState {
  provisioned: boolean;
  active: boolean;
  target: Attributes;
  matching: MatchingAttribute[];
}

export const NOT_PROVISIONED: ProvisionedState = { provisioned: false, active: false, target: {}, matching: [] };

export interface DeprovisionPolicy {
  /** Entra deletes only on a hard delete and only when Delete is enabled; otherwise it disables. */
  deleteOnHardDelete: boolean;
}

export type CommandDraft =
  | { type: typeof C.CreateUser | typeof C.EnableUser; attributes: Attributes }
  | { type: typeof C.UpdateUser; attributes: Attributes; changed: string[] }
  | { type: typeof C.DisableUser | typeof C.DeleteUser }
  | { type: typeof C.AddGroupMember | typeof C.RemoveGroupMember; group: { externalId: string; displayName: string } };

export interface Decision {
  commands: CommandDraft[];
  matching: MatchingAttribute[];
  next: ProvisionedState;
  /** Why nothing is sent, for the provisioning log. */
  skipped?: string;
}

/**
 * The minimal set of commands that brings the target from `state` to what the event implies.
 * Pure: the same event on the same state always decides the same, so replays are harmless.
 */
export function decide(
  event: AssignmentChangeEvent,
  state: ProvisionedState,
  mappings: AttributeMapping[],
  policy: DeprovisionPolicy,
): Decision {
  const none = (skipped: string): Decision => ({ commands: [], matching: state.matching, next: state, skipped });
  const deprovision = (hard: boolean): Decision => {
    if (!state.provisioned) return none('not provisioned');
    if (hard && policy.deleteOnHardDelete) {
      return { commands: [{ type: C.DeleteUser }], matching: state.matching, next: NOT_PROVISIONED };
    }
    if (!state.active) return none('already disabled');
    return {
      commands: [{ type: C.DisableUser }],
      matching: state.matching,
      next: { ...state, active: false, target: { ...state.target, active: false } },
    };
  };

  switch (event.type) {
    case T.UserAssigned:
    case T.UserAttributesChanged: {
      const { attributes, matching } = mapUser(mappings, event.user.attributes, !state.provisioned);
      const active = attributes.active !== false;
      const next = { provisioned: true, active, target: attributes, matching };
      if (!state.provisioned) return { commands: [{ type: C.CreateUser, attributes }], matching, next };
      if (active && !state.active) return { commands: [{ type: C.EnableUser, attributes }], matching, next };
      const changed = changedAttributes(state.target, attributes);
      if (changed.length === 0) return { ...none('no change to a mapped attribute'), next };
      return { commands: [{ type: C.UpdateUser, attributes, changed }], matching, next };
    }
    case T.UserDisabled:
    case T.UserUnassigned:
      return deprovision(false);
    case T.UserDeleted:
      return deprovision(event.hardDelete);
    case T.GroupMemberAdded:
    case T.GroupMemberRemoved: {
      if (!state.provisioned) return none('user not provisioned');
      const group = { externalId: event.group.id, displayName: event.group.displayName };
      const type = event.type === T.GroupMemberAdded ? C.AddGroupMember : C.RemoveGroupMember;
      return { commands: [{ type, group }], matching: state.matching, next: state };
    }
    default:
      return none(`${event.type} needs no user command`);
  }
}
