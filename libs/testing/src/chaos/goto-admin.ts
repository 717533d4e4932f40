import { DEMO_PRINCIPALS } from '@roster/goto-emulator';

const SCIM = '/identity/v1';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/**
 * A GoTo administrator changing accounts by hand over GoTo's own SCIM API, as the demo Team Admin
 * (not Roster's OAuth client), so the request log tells the admin's writes from Roster's.
 */
export class GotoAdmin {
  static readonly principal = DEMO_PRINCIPALS.admin.userId;
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  async patchUser(id: string, operations: { op: 'replace' | 'add' | 'remove'; path?: string; value?: unknown }[]): Promise<void> {
    await this.send('PATCH', `${SCIM}/Users/${id}`, { schemas: [PATCH_OP], Operations: operations });
  }

  async deleteUser(id: string): Promise<void> {
    await this.send('DELETE', `${SCIM}/Users/${id}`);
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    await this.send('PATCH', `${SCIM}/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', path: 'members', value: [{ value: userId }] }] });
  }

  async removeMember(groupId: string, userId: string): Promise<void> {
    await this.send('PATCH', `${SCIM}/Groups/${groupId}`, { schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${userId}"]` }] });
  }

  private async send(method: string, path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${await this.login()}`, ...(body ? { 'content-type': 'application/scim+json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!res.ok) throw new Error(`GoTo admin ${method} ${path}: ${res.status} ${await res.text()}`);
  }

  private async login(): Promise<string> {
    if (this.token) return this.token;
    const { userId, password } = DEMO_PRINCIPALS.admin;
    const form = new URLSearchParams({ grant_type: 'password', user_id: userId, password, client_id: DEMO_PRINCIPALS.client.clientId });
    const res = await fetch(`${this.baseUrl}/oauth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (!res.ok) throw new Error(`GoTo admin login: ${res.status} ${await res.text()}`);
    this.token = ((await res.json()) as { access_token: string }).access_token;
    return this.token;
  }
}
