import type { EmulatedGroup } from '../directory/group-store';
import type { EmulatedUser, UserStore } from '../directory/user-store';
import type { JsonObject } from '../http/http-io';
import { SCIM_URN } from './scim-schemas';

export const SCIM_BASE_PATH = '/identity/v1';
/** Request bodies GoTo's SCIM service takes; anything else is a 400. */
export const SCIM_MEDIA_TYPES = ['application/scim+json', 'application/json'] as const;

export function userLocation(baseUrl: string, id: string): string {
  return `${baseUrl}${SCIM_BASE_PATH}/Users/${encodeURIComponent(id)}`;
}

export function groupLocation(baseUrl: string, id: string): string {
  return `${baseUrl}${SCIM_BASE_PATH}/Groups/${encodeURIComponent(id)}`;
}

/** A weak ETag from a resource's version counter, as `meta.version` and the ETag header carry it. */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The `schemas` a user resource with these attributes declares. */
export function userSchemasOf(attributes: Readonly<JsonObject>): string[] {
  return attributes[SCIM_URN.enterpriseUser] ? [SCIM_URN.user, SCIM_URN.enterpriseUser] : [SCIM_URN.user];
}

export function userResource(user: EmulatedUser, baseUrl: string): JsonObject {
  return {
    schemas: userSchemasOf(user.attributes),
    id: user.id,
    ...user.attributes,
    meta: {
      resourceType: 'User',
      created: user.created,
      lastModified: user.lastModified,
      location: userLocation(baseUrl, user.id),
      version: etagOf(user.version),
    },
  };
}

export function groupResource(group: EmulatedGroup, baseUrl: string, users: UserStore, withMembers: boolean): JsonObject {
  return {
    schemas: [SCIM_URN.group],
    id: group.id,
    displayName: group.displayName,
    ...(group.externalId !== undefined ? { externalId: group.externalId } : {}),
    ...(withMembers
      ? {
          members: [...group.members].map((id) => ({
            value: id,
            display: users.get(id)?.userName,
            type: 'User',
            $ref: userLocation(baseUrl, id),
          })),
        }
      : {}),
    meta: {
      resourceType: 'Group',
      created: group.created,
      lastModified: group.lastModified,
      location: groupLocation(baseUrl, group.id),
      version: etagOf(group.version),
    },
  };
}

export function listResponse(totalResults: number, startIndex: number, resources: readonly JsonObject[]): JsonObject {
  return { schemas: [SCIM_URN.listResponse], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
