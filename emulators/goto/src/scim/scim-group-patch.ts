import type { GroupChange } from '../directory/group-store';
import { isJsonObject } from '../http/http-io';
import { invalidPath, parseAttributePath, type PatchOperation } from './scim-patch-request';
import { GROUP_SCHEMA, SCIM_URN, attributeOf } from './scim-schemas';
import { invalidValue, validateValue, type ValidationContext } from './scim-validator';

/** GoTo accepts at most this many member references in one group request. */
const MAX_MEMBERS_PER_REQUEST = 100;

interface PendingChange extends GroupChange {
  addMembers: string[];
  removeMembers: string[];
}

/**
 * Turns PatchOp operations on a group into one change, without touching the member set: groups can
 * hold many thousands of members, so they are not copied per request as user attributes are.
 */
export function groupChangeOf(operations: readonly PatchOperation[], ctx: ValidationContext): GroupChange {
  const change: PendingChange = { addMembers: [], removeMembers: [] };
  for (const { op, path, value } of operations) {
    if (path !== undefined) {
      applyAtPath(change, op, path, value, ctx);
      continue;
    }
    if (!isJsonObject(value)) throw invalidValue(`${op} without a path needs an object value`);
    for (const [key, item] of Object.entries(value)) applyAtPath(change, op, key, item, ctx);
  }
  limitMemberReferences(change.addMembers.length + change.removeMembers.length);
  return change;
}

export function limitMemberReferences(references: number): void {
  if (references > MAX_MEMBERS_PER_REQUEST) {
    throw invalidValue(`a request may add or remove at most ${MAX_MEMBERS_PER_REQUEST} members; this one has ${references}`);
  }
}

/** Member ids named in a `members` value, validated against the Group schema. */
export function memberIdsOf(value: unknown, ctx: ValidationContext): string[] {
  const members = validateValue(attributeOf(GROUP_SCHEMA, 'members')!, value, 'members', ctx);
  return Array.isArray(members) ? members.map((member) => String((member as { value: string }).value)) : [];
}

function applyAtPath(change: PendingChange, op: PatchOperation['op'], rawPath: string, value: unknown, ctx: ValidationContext): void {
  const path = parseAttributePath(rawPath, SCIM_URN.group, []);
  const attribute = path.attribute === undefined ? undefined : attributeOf(GROUP_SCHEMA, path.attribute);
  if (!attribute) throw invalidPath(rawPath);
  if (attribute.name !== 'members') {
    if (path.filter || path.subAttribute) throw invalidPath(rawPath);
    if (op === 'remove') {
      if (attribute.required) throw invalidValue(`'${attribute.name}' is required and cannot be removed`);
      change.externalId = null;
    } else {
      const text = validateValue(attribute, value, attribute.name, ctx);
      if (text === undefined) throw invalidValue(`'${attribute.name}' needs a value`);
      if (attribute.name === 'displayName') change.displayName = String(text);
      else change.externalId = String(text);
    }
    return;
  }
  if (path.subAttribute) throw invalidPath(rawPath);
  if (path.filter) {
    if (op !== 'remove' || path.filter.attribute !== 'value') throw invalidPath(rawPath, 'supports only remove with members[value eq "id"]');
    change.removeMembers.push(path.filter.value);
  } else if (op === 'remove') {
    // RFC 7644: remove without a filter clears the attribute; Entra lists the members to drop in `value`.
    if (value === undefined) change.removeAllMembers = true;
    else change.removeMembers.push(...memberIdsOf(value, ctx));
  } else {
    if (op === 'replace') {
      change.removeAllMembers = true;
      change.addMembers = [];
    }
    change.addMembers.push(...memberIdsOf(value, ctx));
  }
}
