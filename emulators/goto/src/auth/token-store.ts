import { randomBytes } from 'node:crypto';
import type { Principal } from '../http/request-context';

interface Grant {
  principal: Principal;
  expiresAt: number;
}

export interface IssuedToken {
  accessToken: string;
  /** Whole seconds, as `expires_in` must be; a fractional test TTL rounds up. */
  expiresInSeconds: number;
  refreshToken?: string;
}

export interface TokenLifetimes {
  accessSeconds: number;
  refreshSeconds: number;
}

export type Clock = () => number;

/** Opaque bearer and refresh tokens; an expired or unknown token simply is not found. */
export class TokenStore {
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();

  constructor(
    private readonly lifetimes: TokenLifetimes,
    private readonly clock: Clock = Date.now,
  ) {}

  issue(principal: Principal, withRefreshToken: boolean): IssuedToken {
    const accessToken = opaqueToken();
    this.access.set(accessToken, { principal, expiresAt: this.clock() + this.lifetimes.accessSeconds * 1000 });
    const issued: IssuedToken = { accessToken, expiresInSeconds: Math.ceil(this.lifetimes.accessSeconds) };
    if (withRefreshToken) {
      issued.refreshToken = opaqueToken();
      this.refresh.set(issued.refreshToken, { principal, expiresAt: this.clock() + this.lifetimes.refreshSeconds * 1000 });
    }
    return issued;
  }

  principalOf(accessToken: string): Principal | undefined {
    return live(this.access, accessToken, this.clock())?.principal;
  }

  /** GoTo returns no new refresh token while the old one is still valid, so none is rotated here. */
  redeem(refreshToken: string, clientId: string): { principal: Principal; token: IssuedToken } | undefined {
    const grant = live(this.refresh, refreshToken, this.clock());
    if (!grant || grant.principal.clientId !== clientId) return undefined;
    return { principal: grant.principal, token: this.issue(grant.principal, false) };
  }

  revokeAll(): void {
    this.access.clear();
    this.refresh.clear();
  }
}

function live(grants: Map<string, Grant>, token: string, now: number): Grant | undefined {
  const grant = grants.get(token);
  if (grant && grant.expiresAt <= now) {
    grants.delete(token);
    return undefined;
  }
  return grant;
}

function opaqueToken(): string {
  return randomBytes(32).toString('base64url');
}
