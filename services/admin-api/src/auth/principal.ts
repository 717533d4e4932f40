import type { AdminRole } from '@roster/contracts';

/** Who a request comes from, once authenticated: an API key or an OIDC subject. */
export interface Principal {
  kind: 'api-key' | 'oidc';
  id: string;
  name: string;
  role: AdminRole;
}

/** `admin` includes everything `reader` may do. */
export function hasRole(principal: Principal, required: AdminRole): boolean {
  return principal.role === 'admin' || principal.role === required;
}
