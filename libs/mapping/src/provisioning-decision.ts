import {
  appRolesOf,
  AssignmentChangeType as T,
  ProvisioningCommandType as C,
  type AssignmentChangeEvent,
  type Attributes,
  type MappingConfig,
  type MatchingAttribute,
  type ProvisioningCommand,
} from '@roster/contracts';
import { changedAttributes, type CompiledMappings } from './attribute-mapping';
import { desiredLicenses, managesLicenses, sameLicenses } from './licenses/desired-licenses';

/** What the mapper last decided the target holds for one user, and the directory view behind it. */
export interface ProvisionedState {
  provisioned: boolean;
  active: boolean;
  target: Attributes;
  matching: MatchingAttribute[];
  /** Assigned to the app (directly or through a group) and present in the directory. */
  assigned: boolean;
  /** Last directory attributes seen, so a mapping or scope change can re-decide without the directory. */
  source: Attributes | null;
  groups: { id: string; displayName: string }[];
  /**
   * Groups Roster removed the account from (or took it out of on a disable) and has not put it back
   * in: a decision restating the whole state removes it from them again, since a removal lost with
   * the queues is in no other record (absent: none, saved before they were kept).
   */
  leftGroups?: { id: string; displayName: string }[];
  /**
   * The type of a command the connector dead-lettered since the last decision that sent commands:
   * the target may not hold `target`, so the next decision sends the whole desired state (by create,
   * when what failed was the create).
   */
  failedCommand?: ProvisioningCommand['type'];
  /** App roles of the user's assignments (null: not known, saved before roles were kept). */
  roles: string[] | null;
  /** License keys last sent for the account (null: licenses not managed). */
  licenses: string[] | null;
}

export const NOT_PROVISIONED: ProvisionedState = {
  provisioned: false,
  active: false,
  target: {},
  matching: [],
  assigned: false,
  source: null,
  groups: [],
  roles: null,
  licenses: null,
};

/** Scoping filters as the decision needs them (see ./scoping). */
export interface ScopeEvaluator {
  evaluate(subject: { attributes: Attributes; groupIds: readonly string[] }): { inScope: boolean; reason: string };
}

export interface CompiledJob {
  version: number;
  config: MappingConfig;
  mappings: CompiledMappings;
  scope: ScopeEvaluator | null;
}

/** `licenseKeys`: the whole set the account should hold; absent leaves its licenses alone. */
export type CommandDraft =
  | { type: typeof C.CreateUser | typeof C.EnableUser; attributes: Attributes; licenseKeys?: string[] }
  | { type: typeof C.UpdateUser; attributes: Attributes; changed: string[]; licenseKeys?: string[] }
  | { type: typeof C.DisableUser; licenseKeys?: string[] }
  | { type: typeof C.DeleteUser }
  | { type: typeof C.AddGroupMember | typeof C.RemoveGroupMember; group: { externalId: string; displayName: string } };

/** Entra's provisioning steps, as the provisioning log shows them. */
export interface ProvisioningStep {
  type: 'import' | 'scoping' | 'matching' | 'processing';
  status: 'success' | 'skipped' | 'warning';
  description: string;
}

export interface Decision {
  commands: CommandDraft[];
  matching: MatchingAttribute[];
  next: ProvisionedState;
  steps: ProvisioningStep[];
  /** Why nothing is sent, for the provisioning log. */
  skipped?: string;
  /** Target attributes whose values must show as "[Redact]" in logs. */
  redacted: string[];
}

type Deprovision = 'unassigned' | 'out-of-scope' | 'disabled' | 'soft-deleted' | 'hard-deleted';

/**
 * The minimal set of commands that brings the target from `state` to what the event implies, under
 * the job's mappings, scoping filters and target-object actions. Pure: the same event on the same
 * state always decides the same, so replays and re-evaluations are harmless.
 */
export function decide(event: AssignmentChangeEvent, state: ProvisionedState, job: CompiledJob): Decision {
  const steps: ProvisioningStep[] = [{ type: 'import', status: 'success', description: `received ${event.type}` }];
  const { actions, skipOutOfScopeDeletions, licenses } = job.config;
  // The whole desired state, not the difference from `state`: what the target holds is not known.
  const full = ('full' in event && event.full === true) || state.failedCommand !== undefined;
  const failed = state.failedCommand;
  // Events that know the user's assignments say its roles; the others leave the saved ones.
  const roles = 'via' in event && event.via ? appRolesOf(event.via) : state.roles;
  const stripOnDisable = managesLicenses(licenses) && licenses.removeOnDisable;

  const result = (commands: CommandDraft[], next: ProvisionedState, extra: Partial<Decision> = {}): Decision => {
    const processing = extra.skipped
      ? { type: 'processing' as const, status: 'skipped' as const, description: extra.skipped }
      : { type: 'processing' as const, status: 'success' as const, description: commands.map((c) => c.type).join(', ') };
    // Commands sent from here on carry the whole state again; a failure of theirs is reported anew.
    const settled = commands.length > 0 ? { ...next, failedCommand: undefined } : next;
    return { commands, matching: next.matching.length ? next.matching : state.matching, next: settled, steps: [...steps, processing], redacted: [], ...extra };
  };
  const skip = (reason: string, next: ProvisionedState = state) => result([], next, { skipped: reason });

  const deprovision = (why: Deprovision, next: ProvisionedState, because?: string): Decision => {
    const label = because ? `${why} because ${because}` : why;
    const deleted = { ...next, provisioned: false, active: false };
    if (why === 'hard-deleted' && actions.delete && failed === C.DeleteUser) return result([{ type: C.DeleteUser }], deleted);
    if (!state.provisioned) return skip(`${label}; not provisioned, nothing to do`, next);
    // GoTo drops a deleted account from its groups itself.
    if (why === 'hard-deleted' && actions.delete) return result([{ type: C.DeleteUser }], deleted);
    if (skipOutOfScopeDeletions && why !== 'disabled') return skip(`${label}; left alone (skipOutOfScopeDeletions)`, next);
    if (!actions.update) return skip(`${label}; disabling needs the update action, which the job disables`, next);
    if (!state.active && !full) return skip(`${label}; already disabled`, next);
    // The disable comes first: the deletion guard holds the removals together with it.
    const disabled = { ...next, active: false, target: { ...state.target, active: false } };
    const leftAll = { ...disabled, leftGroups: leftAfter([]) };
    if (!stripOnDisable) return result([{ type: C.DisableUser }, ...leaveGroups()], leftAll);
    return result([{ type: C.DisableUser, licenseKeys: [] }, ...leaveGroups()], { ...leftAll, licenses: [] });
  };

  /**
   * A GoTo group's members are its directory group's in-scope members: an account Roster disables
   * leaves every group Roster put it in (`state.groups` while it was active), and enabling it puts it
   * back (see provision).
   */
  const leaveGroups = (): CommandDraft[] => (full ? removals(leftAfter([])) : membership([], state.groups));

  const ref = (g: { id: string; displayName: string }) => ({ externalId: g.id, displayName: g.displayName });
  const removals = (from: ProvisionedState['groups']): CommandDraft[] => from.map((g) => ({ type: C.RemoveGroupMember, group: ref(g) }) as const);

  /** The groups the account may have been put in and must not be in once it is in `groups`: those left before and those it leaves now. */
  const leftAfter = (groups: ProvisionedState['groups']): ProvisionedState['groups'] => {
    const has = new Set(groups.map((g) => g.id));
    const left = new Map([...(state.leftGroups ?? []), ...state.groups].map((g) => [g.id, g]));
    return [...left.values()].filter((g) => !has.has(g.id));
  };

  /** The whole membership, not the difference: into every group `groups`, out of every group left. */
  const restatedMembership = (groups: ProvisionedState['groups']): CommandDraft[] => [...membership(groups, []), ...removals(leftAfter(groups))];

  /** Membership commands that take the target from the saved groups to `groups`. */
  const membership = (groups: ProvisionedState['groups'], from: ProvisionedState['groups']): CommandDraft[] => {
    const had = new Set(from.map((g) => g.id));
    const has = new Set(groups.map((g) => g.id));
    return [
      ...groups.filter((g) => !had.has(g.id)).map((g) => ({ type: C.AddGroupMember, group: ref(g) }) as const),
      ...removals(from.filter((g) => !has.has(g.id))),
    ];
  };

  const provision = (source: Attributes, groups: ProvisionedState['groups']): Decision => {
    const base: ProvisionedState = { ...state, assigned: true, source, roles };
    const verdict = job.scope?.evaluate({ attributes: source, groupIds: groups.map((g) => g.id) }) ?? {
      inScope: true,
      reason: 'in scope: no scoping filters',
    };
    steps.push({ type: 'scoping', status: verdict.inScope ? 'success' : 'skipped', description: verdict.reason });
    if (!verdict.inScope) return deprovision('out-of-scope', { ...base, groups }, verdict.reason.replace(/^out of scope: /, ''));

    // A create that failed left no account: the user is created again, with the on-create values.
    const created = state.provisioned && failed !== C.CreateUser;
    const mapped = job.mappings.map(source, { forCreate: !created });
    steps.push({
      type: 'matching',
      status: 'success',
      description: mapped.matching.map((m) => `${m.targetAttribute} = "${m.value}" (precedence ${m.precedence})`).join(', then '),
    });
    const enabled = mapped.attributes.active !== false;
    const wanted = enabled ? desiredLicenses(licenses, roles) : stripOnDisable ? [] : null;
    // Every write carries the set, so a later command retries one GoTo could not assign (no seats).
    const licensed = wanted === null ? {} : { licenseKeys: wanted };
    const next: ProvisionedState = {
      ...base,
      provisioned: true,
      active: enabled,
      target: mapped.attributes,
      matching: mapped.matching,
      groups,
      leftGroups: leftAfter(groups),
      licenses: wanted,
    };
    const extra = { redacted: mapped.redacted };
    const notSent = { ...base, matching: mapped.matching, groups: state.groups };
    if (!created) {
      // Entra cannot provision a user disabled in the directory; neither do we create one.
      if (!enabled) return skip('disabled in the directory; not created', notSent);
      if (!actions.create) return skip('create action is disabled for this job', notSent);
      return result([{ type: C.CreateUser, attributes: mapped.attributes, ...licensed }, ...membership(groups, [])], next, extra);
    }
    if (!actions.update) return skip('update action is disabled for this job', notSent);
    if (enabled && !state.active) {
      // Unlike Entra, a re-enabled user gets its group memberships back without a restart.
      return result([{ type: C.EnableUser, attributes: mapped.attributes, ...licensed }, ...membership(groups, [])], next, extra);
    }
    const changed = full ? Object.keys(mapped.attributes) : changedAttributes(state.target, mapped.attributes);
    // A role change that changes no attribute still changes the licenses.
    const relicensed = wanted !== null && !sameLicenses(wanted, state.licenses);
    const update: CommandDraft[] = changed.length || relicensed ? [{ type: C.UpdateUser, attributes: mapped.attributes, changed, ...licensed }] : [];
    // A mapping that turns `active` off disables through this update: the account leaves its groups as on any disable.
    const groupCommands = enabled ? (full ? restatedMembership(groups) : membership(groups, state.groups)) : state.active ? leaveGroups() : [];
    const commands = [...update, ...groupCommands];
    if (commands.length === 0) return skip('no change to a mapped attribute', next);
    return result(commands, next, extra);
  };

  switch (event.type) {
    case T.UserAssigned:
    case T.UserRolesChanged:
    case T.UserAttributesChanged:
    case T.GroupMemberAdded:
    case T.GroupMemberRemoved:
      return provision(event.user.attributes, event.groups);
    case T.UserReevaluate:
      if (state.assigned && state.source) return provision(state.source, state.groups);
      if (!full) return skip('not assigned; nothing to re-evaluate');
      return deprovision(failed === C.DeleteUser ? 'hard-deleted' : 'unassigned', state);
    case T.UserDisabled:
      return deprovision('disabled', { ...state, source: event.user.attributes, groups: event.groups });
    case T.UserUnassigned:
      return deprovision('unassigned', { ...state, assigned: false });
    case T.UserDeleted:
      return deprovision(event.hardDelete ? 'hard-deleted' : 'soft-deleted', { ...state, assigned: false });
    default:
      return skip(`${event.type} needs no user command`);
  }
}

/** Disables and deletes: what accidental-deletion prevention counts and may hold. */
export function isDeprovisioning(command: CommandDraft | { type: string }): boolean {
  return command.type === C.DisableUser || command.type === C.DeleteUser;
}

/**
 * What accidental-deletion prevention counts: disables and deletes, except a disable of an account
 * already disabled, which a full re-send after lost queues repeats and which takes nothing away.
 */
export function isNewDeprovisioning(command: CommandDraft | { type: string }, state: ProvisionedState): boolean {
  return isDeprovisioning(command) && !(command.type === C.DisableUser && state.provisioned && !state.active);
}
