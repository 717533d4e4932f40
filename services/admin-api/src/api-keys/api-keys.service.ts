import { Injectable, NotFoundException } from '@nestjs/common';
import type { ApiKeyView, CreateApiKey } from '@roster/contracts';
import type { Principal } from '../auth/principal';
import { apiKeyId, apiKeyMatches, generateApiKey } from './api-key-secret';
import { ApiKeyRepository, type StoredApiKey } from './api-key.repository';

const view = ({ keyHash: _hash, ...key }: StoredApiKey): ApiKeyView => key;

@Injectable()
export class ApiKeysService {
  constructor(private readonly keys: ApiKeyRepository) {}

  /** Makes a key; the answer is the only place the key itself ever appears. */
  async create(input: CreateApiKey): Promise<ApiKeyView & { key: string }> {
    const secret = generateApiKey();
    const stored = await this.keys.insert({ id: secret.id, name: input.name, role: input.role, keyHash: secret.hash });
    return { ...view(stored), key: secret.key };
  }

  async list(): Promise<ApiKeyView[]> {
    return (await this.keys.list()).map(view);
  }

  async revoke(id: string): Promise<void> {
    if (!(await this.keys.revoke(id))) throw new NotFoundException(`no active API key ${id}`);
  }

  /** Whether the text is shaped like one of our keys (anything else may be an OIDC token). */
  isApiKey(presented: string): boolean {
    return apiKeyId(presented) !== undefined;
  }

  /** The key's holder, or undefined for an unknown, revoked or forged key. */
  async authenticate(presented: string): Promise<Principal | undefined> {
    const id = apiKeyId(presented);
    const stored = id === undefined ? undefined : await this.keys.findActive(id);
    if (!stored || !apiKeyMatches(presented, stored.keyHash)) return undefined;
    await this.keys.touch(stored.id);
    return { kind: 'api-key', id: stored.id, name: stored.name, role: stored.role };
  }
}
