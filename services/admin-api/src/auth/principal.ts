import type { AdminPrincipal, AdminRole } from '@roster/contracts';

export type Principal = AdminPrincipal;

/** `admin` includes everything `reader` may do. */
export function hasRole(principal: Principal, required: AdminRole): boolean {
  return principal.role === 'admin' || principal.role === required;
}
