import type { MappingConfig } from '@roster/contracts';
import { ENTERPRISE_USER } from './enterprise-user';

/**
 * Out-of-the-box mapping from Entra ID user attributes to GoTo's SCIM user, as the current GoTo
 * gallery app maps them: userName is the matching attribute; `active` follows the account's
 * enabled state (soft deletion and unassignment disable through their own events). Only attributes
 * GoTo documents (DOCUMENTED_GOTO_USER_ATTRIBUTES): GoTo refuses a create carrying any other, so a
 * `title ← jobTitle` or work e-mail mapping here would keep every user with a job title or mail
 * from being provisioned. Admins whose GoTo schema lists more can map it themselves.
 */
export const DEFAULT_GOTOMEETING_MAPPING: MappingConfig = {
  version: 1,
  attributeMappings: [
    { target: 'userName', type: 'Direct', source: 'userPrincipalName', apply: 'Always', matchingPrecedence: 1 },
    { target: 'externalId', type: 'Direct', source: 'objectId', apply: 'Always' },
    { target: 'active', type: 'Direct', source: 'accountEnabled', apply: 'Always' },
    { target: 'name.givenName', type: 'Direct', source: 'givenName', apply: 'Always' },
    { target: 'name.familyName', type: 'Direct', source: 'surname', apply: 'Always' },
    { target: 'displayName', type: 'Direct', source: 'displayName', apply: 'Always' },
    { target: `${ENTERPRISE_USER}:department`, type: 'Direct', source: 'department', apply: 'Always' },
    { target: `${ENTERPRISE_USER}:employeeNumber`, type: 'Direct', source: 'employeeId', apply: 'Always' },
  ],
  scopingFilters: [],
  actions: { create: true, update: true, delete: true },
  skipOutOfScopeDeletions: false,
  deletionThreshold: null,
};
