import type { CallExpression } from '../ast';
import type { AppRoleAssignment } from '../evaluation-context';
import type { ScimRole } from '../values';
import type { FunctionCall } from './function-call';
import type { FunctionDefinition, ReportProblem } from './function-definition';

export const APP_ROLE_ASSIGNMENTS = 'appRoleAssignments';

const appRoleAssignmentsParam = { name: '[appRoleAssignments]' };

/** Both role functions read the assignment objects, which only the `[appRoleAssignments]` attribute names. */
function checkAppRoleArgument(call: CallExpression, report: ReportProblem): void {
  const arg = call.args[0];
  if (arg !== undefined && (arg.kind !== 'attribute' || arg.name !== APP_ROLE_ASSIGNMENTS)) {
    report({ code: 'INVALID_ARGUMENT', reason: `the argument of ${call.name} must be [${APP_ROLE_ASSIGNMENTS}]`, span: arg.span });
  }
}

function assignmentsOf(call: FunctionCall): readonly AppRoleAssignment[] {
  const assignments: unknown = call.context.appRoleAssignments ?? [];
  const valid =
    Array.isArray(assignments) &&
    assignments.every((a: unknown) => typeof a === 'object' && a !== null && typeof (a as AppRoleAssignment).id === 'string');
  if (!valid) call.fail('the context appRoleAssignments must be a list of {id, value, displayName}', undefined, 'INVALID_CONTEXT');
  return assignments as readonly AppRoleAssignment[];
}

/** The role name sent to the target: the app role's value, or its display name when it has none. */
export function roleName(assignment: AppRoleAssignment): string | null {
  return assignment.value || assignment.displayName || null;
}

export const DIRECTORY_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'AppRoleAssignmentsComplex',
    params: [appRoleAssignmentsParam],
    check: checkAppRoleArgument,
    // The SCIM roles shape of Entra's example output; every role goes out with primary = false.
    evaluate: (call) => {
      const roles = assignmentsOf(call).flatMap((assignment): ScimRole[] => {
        const name = roleName(assignment);
        if (name === null) return [];
        return [{ primary: false, type: 'WindowsAzureActiveDirectoryRole', display: assignment.displayName || name, value: name }];
      });
      return roles.length === 0 ? null : roles;
    },
  },
  {
    name: 'DefaultDomain',
    params: [],
    evaluate: (call) => {
      const domain: unknown = call.context.defaultDomain;
      if (typeof domain === 'string' && domain !== '') return domain;
      return call.fail('the tenant has no default verified domain in the context', undefined, 'INVALID_CONTEXT');
    },
  },
  {
    name: 'SingleAppRoleAssignment',
    params: [appRoleAssignmentsParam],
    check: checkAppRoleArgument,
    // Entra picks an arbitrary role when there are several; failing is the deterministic reading of "not supported".
    evaluate: (call) => {
      const assignments = assignmentsOf(call);
      if (assignments.length > 1) {
        const count = assignments.length;
        call.fail(`the user has ${count} app role assignments and SingleAppRoleAssignment supports one; use AppRoleAssignmentsComplex`, 0);
      }
      return assignments.length === 0 ? null : roleName(assignments[0]!);
    },
  },
];
