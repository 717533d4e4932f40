import {
  ProvisioningCommandType as C,
  compareChangeOrder,
  type Attributes,
  type AttributeValue,
  type MatchingAttribute,
  type ProvisioningCommand,
} from '@roster/contracts';
import { driftedAttributes } from './applied-state';

/** A command about the user's account (not about a group membership). */
export type UserCommand = Exclude<ProvisioningCommand, { group: unknown }>;

/**
 * What the directory and the mapping want GoTo to hold for one user, as of change order `order`:
 * the newest user command seen, completed by what older ones said that it does not repeat (a
 * disable keeps the attributes, a command without license keys keeps the keys). The connector's
 * job is to make GoTo hold the newest desired state, whichever command gets to run.
 */
export interface DesiredUser {
  order: string;
  type: UserCommand['type'];
  /** false once deleted: no account. */
  present: boolean;
  /** The whole desired attributes; null when never seen (a disable of a user Roster has no attributes of). */
  attributes: Attributes | null;
  /** What the newest update changed: what to send when what the account holds is not known. */
  changed: string[] | null;
  /** The license keys the account should hold; absent: leave its licenses as they are. */
  licenseKeys?: string[];
  redacted: string[];
  matching: MatchingAttribute[];
  /**
   * A disable's: the order of the command its attributes are from (absent: none, or not known).
   * Applied in order, an older command with attributes would have come first, so one that comes
   * after the disable (another batch's, on another replica, or retried) completes it if newer.
   */
  attributesOrder?: string;
  /** A disable an older create, update or enable completed: in order, that command would have made the account, disabled since. */
  keepsAccount?: true;
}

/** The desired state once `command` is seen: the newer of the two wins (a repeat of the same order replaces). */
export function desiredAfter(previous: DesiredUser | null, command: UserCommand): DesiredUser {
  if (previous && compareChangeOrder(command.order, previous.order) < 0) return completedBy(previous, command);
  const licenseKeys = ('licenseKeys' in command ? command.licenseKeys : undefined) ?? previous?.licenseKeys;
  const base = { order: command.order, type: command.type, matching: command.matching, ...(licenseKeys ? { licenseKeys } : {}) };
  switch (command.type) {
    case C.CreateUser:
    case C.EnableUser:
    case C.UpdateUser:
      return {
        ...base,
        present: true,
        attributes: command.attributes,
        changed: command.type === C.UpdateUser ? command.changed : null,
        redacted: command.redactedAttributes ?? [],
      };
    case C.DisableUser:
      return {
        ...base,
        present: true,
        attributes: previous?.attributes ? { ...previous.attributes, active: false } : null,
        changed: null,
        redacted: previous?.redacted ?? [],
        ...(previous?.attributes ? { attributesOrder: previous.attributesOrder ?? previous.order } : {}),
        ...(previous?.keepsAccount ? { keepsAccount: true as const } : {}),
      };
    case C.DeleteUser:
      return { ...base, present: false, attributes: null, changed: null, redacted: [] };
  }
}

/** A newer disable completed by an older command's attributes, when it has none or older ones (see attributesOrder). */
function completedBy(disabled: DesiredUser, older: UserCommand): DesiredUser {
  if (disabled.type !== C.DisableUser || !('attributes' in older)) return disabled;
  const known = disabled.attributes !== null && (disabled.attributesOrder === undefined || compareChangeOrder(older.order, disabled.attributesOrder) <= 0);
  if (known) return disabled;
  const licenseKeys = disabled.licenseKeys ?? older.licenseKeys;
  return {
    ...disabled,
    attributes: { ...older.attributes, active: false },
    redacted: older.redactedAttributes ?? [],
    attributesOrder: older.order,
    keepsAccount: true,
    ...(licenseKeys ? { licenseKeys } : {}),
  };
}

/** An account should exist: not deleted, and not a disabled user that has none (it may stay absent) unless in order it would have one. */
export const wantsAccount = (desired: DesiredUser): boolean =>
  desired.present && desired.attributes !== null && (desired.attributes['active'] !== false || desired.keepsAccount === true);

const empty = (value: AttributeValue | undefined): boolean => value === null || value === undefined || value === '';

/**
 * The attributes to write so the account holds `desired`. `held`: what it holds as GoTo answered
 * (null: not known, e.g. an account matched rather than created). An attribute without a desired
 * value is sent (as a removal) only when the account is known to hold one or the update says it
 * changed: removing an attribute the source never had is refused by GoTo.
 */
export function attributesToSend(desired: DesiredUser, held: Attributes | null): string[] {
  const attributes = desired.attributes ?? { active: false };
  if (held) return driftedAttributes(attributes, held, desired.redacted).filter((k) => !(empty(attributes[k]) && empty(held[k])));
  const named = desired.changed ?? (desired.type === C.DisableUser ? ['active'] : Object.keys(attributes));
  return named.filter((k) => !empty(attributes[k]) || desired.changed?.includes(k));
}
