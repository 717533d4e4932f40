import type { AdminUserConfig, OAuthClientConfig } from '../emulator-options';
import { NumericIdSequence } from '../directory/numeric-id-sequence';
import type { Principal } from '../http/request-context';

/** The configured OAuth clients and login users, checked by the token endpoints. */
export class PrincipalRegistry {
  private readonly clients = new Map<string, { config: OAuthClientConfig; principal: Principal }>();
  private readonly users = new Map<string, { config: AdminUserConfig; key: string }>();

  constructor(clients: readonly OAuthClientConfig[], users: readonly AdminUserConfig[]) {
    const keys = new NumericIdSequence('5100000');
    for (const config of clients) {
      const isAdmin = config.isAdmin ?? true;
      const principal = { id: config.clientId, key: keys.take(), clientId: config.clientId, isAdmin, orgRead: isAdmin || (config.orgRead ?? false) };
      this.clients.set(config.clientId, { config, principal });
    }
    // Login e-mails are case-insensitive, as at any e-mail based sign-in.
    for (const config of users) this.users.set(config.userId.toLowerCase(), { config, key: keys.take() });
  }

  hasClient(clientId: string): boolean {
    return this.clients.has(clientId);
  }

  authenticateClient(clientId: string, clientSecret: string): Principal | undefined {
    const entry = this.clients.get(clientId);
    return entry && entry.config.clientSecret === clientSecret ? entry.principal : undefined;
  }

  authenticateUser(userId: string, password: string, clientId: string): Principal | undefined {
    const entry = this.users.get(userId.toLowerCase());
    if (!entry || entry.config.password !== password) return undefined;
    const { isAdmin, orgRead = false } = entry.config;
    return { id: entry.config.userId, key: entry.key, clientId, isAdmin, orgRead: isAdmin || orgRead, user: entry.config };
  }
}
