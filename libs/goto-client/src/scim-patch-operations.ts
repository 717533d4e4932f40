import { SCIM_PATCH_OP_SCHEMA, type ScimUserChanges } from './scim-types';

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

/** `emails[type eq "work"].value`: the value of one entry of a multi-valued attribute, chosen by a filter. */
const FILTERED_VALUE = /^([^[\]]+\[[^\]]+\])\.value$/;

/**
 * One operation per changed attribute, addressed by its SCIM path (`name.givenName`,
 * `urn:…:enterprise:2.0:User:department`, `emails[type eq "work"].value`), so nothing the caller did
 * not name is touched: a new given name keeps the family name, a new work address keeps the home one
 * (a `replace` of `emails` would replace every address).
 *
 * No value — undefined, null or the empty string — removes the attribute: SCIM has no empty value
 * (GoTo may refuse `""` or a replace with null). A filtered entry loses the whole entry
 * (`remove emails[type eq "work"]`): an address entry without its address is no address.
 */
export function userPatchOperations(changes: ScimUserChanges): PatchOperation[] {
  return Object.entries(changes).map(([path, value]): PatchOperation => {
    if (value !== undefined && value !== null && value !== '') return { op: 'replace', path, value };
    return { op: 'remove', path: FILTERED_VALUE.exec(path)?.[1] ?? path };
  });
}
