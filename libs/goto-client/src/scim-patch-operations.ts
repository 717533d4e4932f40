import { ENTERPRISE_USER_SCHEMA, SCIM_PATCH_OP_SCHEMA, type ScimUserChanges } from './scim-types';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export interface PatchRequest {
  schemas: [typeof SCIM_PATCH_OP_SCHEMA];
  Operations: PatchOperation[];
}

export function patchRequest(operations: PatchOperation[]): PatchRequest {
  return { schemas: [SCIM_PATCH_OP_SCHEMA], Operations: operations };
}

/**
 * One operation per changed attribute, so nothing the caller did not name is touched. A key present
 * with the value `undefined` or null means "remove" (a replace with null may be refused by GoTo).
 * `name` and the enterprise extension are patched per sub-attribute, so a partial `name` does not
 * wipe the other half.
 */
export function userPatchOperations(changes: ScimUserChanges): PatchOperation[] {
  const operations: PatchOperation[] = [];
  for (const [attribute, value] of Object.entries(changes)) {
    if (value != null && (attribute === 'name' || attribute === ENTERPRISE_USER_SCHEMA)) {
      const separator = attribute === 'name' ? '.' : ':';
      for (const [sub, subValue] of Object.entries(value as object)) {
        operations.push(setOrRemove(`${attribute}${separator}${sub}`, subValue));
      }
    } else {
      operations.push(setOrRemove(attribute, value));
    }
  }
  return operations;
}

function setOrRemove(path: string, value: unknown): PatchOperation {
  return value == null ? { op: 'remove', path } : { op: 'replace', path, value };
}
