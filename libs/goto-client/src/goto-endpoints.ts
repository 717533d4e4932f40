export interface GotoEndpoints {
  /** OAuth host; the client calls `${authUrl}/oauth/token`. */
  authUrl: string;
  scimUrl: string;
  adminUrl: string;
  /**
   * Legacy direct login (password grant). It lives on the old API host, not on `authUrl`; when absent
   * the client uses `${authUrl}/oauth/access_token`, which is where the emulator serves it.
   */
  directLoginUrl?: string;
}

export const GOTO_DEFAULT_ENDPOINTS: Readonly<Required<GotoEndpoints>> = {
  authUrl: 'https://authentication.logmeininc.com',
  scimUrl: 'https://api.getgo.com/identity/v1',
  adminUrl: 'https://api.getgo.com/admin/rest/v1',
  directLoginUrl: 'https://api.getgo.com/oauth/access_token',
};

export type GotoCredentials =
  | { kind: 'oauth-client'; clientId: string; clientSecret: string }
  /** The Team Admin user name and password of the legacy Entra app (GoTo "direct login"). */
  | { kind: 'password'; userId: string; password: string; clientId: string };

export type GotoApi = 'auth' | 'scim' | 'admin';
