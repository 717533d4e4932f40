import { GROUP_ATTRIBUTES, USER_ATTRIBUTES } from './directory-schemas';

export type FilterOperator = 'eq' | 'ne' | 'in' | 'startswith';

/** What a resource type lets a caller `$select` and `$filter`, for strict query validation. */
export interface ResourceCatalog {
  /** The OData type named in error messages, e.g. `microsoft.graph.user`. */
  readonly typeName: string;
  readonly properties: ReadonlySet<string>;
  /** Returned without `$select`; every property when absent. */
  readonly defaultSelect?: readonly string[];
  /** Properties Graph serves only on single-object reads; selecting them on a collection is a 501. */
  readonly singleObjectOnly: ReadonlySet<string>;
  readonly filters: Readonly<Record<string, readonly FilterOperator[]>>;
}

const STRING_FILTER: readonly FilterOperator[] = ['eq', 'ne', 'in', 'startswith'];
const BOOLEAN_FILTER: readonly FilterOperator[] = ['eq', 'ne'];
const filters = (strings: string[], booleans: string[] = []) =>
  Object.fromEntries([
    ...strings.map((p) => [p, STRING_FILTER] as const),
    ...booleans.map((p) => [p, BOOLEAN_FILTER] as const),
  ]);

const OBJECT_FIELDS = ['id', 'createdDateTime', 'deletedDateTime'];

export const USER_CATALOG: ResourceCatalog = {
  typeName: 'microsoft.graph.user',
  properties: new Set([...OBJECT_FIELDS, ...USER_ATTRIBUTES]),
  defaultSelect: [
    'businessPhones',
    'displayName',
    'givenName',
    'id',
    'jobTitle',
    'mail',
    'mobilePhone',
    'officeLocation',
    'preferredLanguage',
    'surname',
    'userPrincipalName',
  ],
  singleObjectOnly: new Set([
    'aboutMe',
    'birthday',
    'hireDate',
    'interests',
    'mySite',
    'pastProjects',
    'preferredName',
    'responsibilities',
    'schools',
    'skills',
  ]),
  filters: filters(
    [
      'id',
      'userPrincipalName',
      'mail',
      'givenName',
      'surname',
      'displayName',
      'jobTitle',
      'department',
      'employeeId',
      'employeeType',
      'companyName',
      'officeLocation',
      'userType',
      'mailNickname',
      'onPremisesImmutableId',
      'usageLocation',
      'city',
      'country',
    ],
    ['accountEnabled'],
  ),
};

export const GROUP_CATALOG: ResourceCatalog = {
  typeName: 'microsoft.graph.group',
  properties: new Set([...OBJECT_FIELDS, ...GROUP_ATTRIBUTES]),
  singleObjectOnly: new Set(),
  filters: filters(['id', 'displayName', 'mail', 'mailNickname'], ['mailEnabled', 'securityEnabled']),
};

/** Members are users or groups, so a member `$select` may name a property of either. */
export const DIRECTORY_OBJECT_CATALOG: ResourceCatalog = {
  typeName: 'microsoft.graph.directoryObject',
  properties: new Set([...USER_CATALOG.properties, ...GROUP_CATALOG.properties]),
  singleObjectOnly: USER_CATALOG.singleObjectOnly,
  filters: {},
};

export const SERVICE_PRINCIPAL_CATALOG: ResourceCatalog = {
  typeName: 'microsoft.graph.servicePrincipal',
  properties: new Set([
    'id',
    'appId',
    'displayName',
    'appDisplayName',
    'accountEnabled',
    'servicePrincipalType',
    'appOwnerOrganizationId',
    'appRoles',
  ]),
  singleObjectOnly: new Set(),
  filters: {},
};

export const APP_ROLE_ASSIGNMENT_CATALOG: ResourceCatalog = {
  typeName: 'microsoft.graph.appRoleAssignment',
  properties: new Set([
    'id',
    'deletedDateTime',
    'appRoleId',
    'createdDateTime',
    'principalDisplayName',
    'principalId',
    'principalType',
    'resourceDisplayName',
    'resourceId',
  ]),
  singleObjectOnly: new Set(),
  filters: { principalDisplayName: ['eq', 'startswith'], resourceId: ['eq'] },
};
