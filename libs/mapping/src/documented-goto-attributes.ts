import type { TargetAttribute } from '@roster/contracts';
import { ENTERPRISE_USER } from './enterprise-user';

const text = (path: string, required = false): TargetAttribute => ({ path, type: 'string', multiValued: false, mutability: 'readWrite', required });

/**
 * The user attributes GoTo's documentation lists, for targets that publish no `/Schemas`: what
 * Entra's GoTo tutorial maps (userName, externalId, active, name.givenName, name.familyName and the
 * enterprise department, employeeNumber, costCenter, division) plus what GoTo's own SCIM spec adds
 * (displayName, locale, timezone). Neither lists `title` or `emails` (reference goto-api.md §3, §6).
 */
export const DOCUMENTED_GOTO_USER_ATTRIBUTES: readonly TargetAttribute[] = [
  text('userName', true),
  text('externalId'),
  { path: 'active', type: 'boolean', multiValued: false, mutability: 'readWrite', required: false },
  text('name.givenName', true),
  text('name.familyName', true),
  text('displayName'),
  text('locale'),
  text('timezone'),
  text(`${ENTERPRISE_USER}:department`),
  text(`${ENTERPRISE_USER}:employeeNumber`),
  text(`${ENTERPRISE_USER}:costCenter`),
  text(`${ENTERPRISE_USER}:division`),
];
