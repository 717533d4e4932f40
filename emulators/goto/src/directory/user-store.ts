import { ApiError } from '../http/api-error';
import type { JsonObject } from '../http/http-io';
import { NumericIdSequence } from './numeric-id-sequence';
import { PagedMap } from './paged-map';

/** One GoTo user, as both the SCIM and the Admin API see it. */
export interface EmulatedUser {
  readonly id: string;
  /** SCIM attributes as last written: core attributes, and the enterprise extension under its URN. */
  readonly attributes: Readonly<JsonObject>;
  readonly userName: string;
  readonly externalId?: string;
  readonly active: boolean;
  readonly licenseKeys: readonly string[];
  readonly adminRoles: readonly string[];
  readonly created: string;
  readonly lastModified: string;
  readonly version: number;
}

export interface AdminFields {
  licenseKeys?: readonly string[];
  adminRoles?: readonly string[];
}

/** Users with O(1) lookup by id, userName (case-insensitive, as SCIM defines it) and externalId. */
export class UserStore {
  private readonly users = new PagedMap<EmulatedUser>();
  private readonly idByUserName = new Map<string, string>();
  // Arrays, not Sets: almost every externalId names one user, and 100,000 Sets cost real memory.
  private readonly idsByExternalId = new Map<string, string[]>();
  private readonly ids = new NumericIdSequence('7206130');
  /** Users holding each license key: a license's used seats. */
  private readonly holders = new Map<string, number>();

  get size(): number {
    return this.users.size;
  }

  seatsUsed(licenseKey: string): number {
    return this.holders.get(licenseKey) ?? 0;
  }

  get(id: string): EmulatedUser | undefined {
    return this.users.get(id);
  }

  getByUserName(userName: string): EmulatedUser | undefined {
    const id = this.idByUserName.get(userName.toLowerCase());
    return id === undefined ? undefined : this.users.get(id);
  }

  findByExternalId(externalId: string): EmulatedUser[] {
    return (this.idsByExternalId.get(externalId) ?? []).map((id) => this.users.get(id)!);
  }

  page(offset: number, count: number): EmulatedUser[] {
    return this.users.page(offset, count);
  }

  values(): IterableIterator<EmulatedUser> {
    return this.users.values();
  }

  /** `attributes` must already be validated against the User schema. */
  create(attributes: JsonObject, adminFields: AdminFields = {}): EmulatedUser {
    const now = new Date().toISOString();
    const user = describe(this.ids.take(), attributes, {
      licenseKeys: adminFields.licenseKeys ?? [],
      adminRoles: adminFields.adminRoles ?? [],
      created: now,
      lastModified: now,
      version: 1,
    });
    this.claimUserName(user);
    this.store(user);
    return user;
  }

  replaceAttributes(id: string, attributes: JsonObject): EmulatedUser {
    const current = this.require(id);
    const next = describe(id, attributes, { ...current, lastModified: new Date().toISOString(), version: current.version + 1 });
    if (next.userName.toLowerCase() !== current.userName.toLowerCase()) this.claimUserName(next);
    this.unindex(current);
    this.store(next);
    return next;
  }

  setAdminFields(id: string, fields: AdminFields): EmulatedUser {
    const current = this.require(id);
    const licenseKeys = fields.licenseKeys ?? current.licenseKeys;
    this.countHolders(current.licenseKeys, -1);
    this.countHolders(licenseKeys, 1);
    const next: EmulatedUser = {
      ...current,
      licenseKeys,
      adminRoles: fields.adminRoles ?? current.adminRoles,
      lastModified: new Date().toISOString(),
      version: current.version + 1,
    };
    this.users.set(id, next);
    return next;
  }

  delete(id: string): boolean {
    const user = this.users.get(id);
    if (!user) return false;
    this.unindex(user);
    return this.users.delete(id);
  }

  clear(): void {
    this.users.clear();
    this.idByUserName.clear();
    this.idsByExternalId.clear();
    this.holders.clear();
    this.ids.restart();
  }

  require(id: string): EmulatedUser {
    const user = this.users.get(id);
    if (!user) throw new ApiError(404, undefined, `user '${id}' not found`);
    return user;
  }

  private claimUserName(user: EmulatedUser): void {
    if (this.idByUserName.has(user.userName.toLowerCase())) {
      throw new ApiError(409, 'uniqueness', `userName '${user.userName}' is already in use`);
    }
  }

  private store(user: EmulatedUser): void {
    this.users.set(user.id, user);
    this.countHolders(user.licenseKeys, 1);
    this.idByUserName.set(user.userName.toLowerCase(), user.id);
    if (user.externalId !== undefined) {
      const ids = this.idsByExternalId.get(user.externalId);
      if (ids) ids.push(user.id);
      else this.idsByExternalId.set(user.externalId, [user.id]);
    }
  }

  private unindex(user: EmulatedUser): void {
    this.countHolders(user.licenseKeys, -1);
    this.idByUserName.delete(user.userName.toLowerCase());
    if (user.externalId === undefined) return;
    const remaining = (this.idsByExternalId.get(user.externalId) ?? []).filter((id) => id !== user.id);
    if (remaining.length > 0) this.idsByExternalId.set(user.externalId, remaining);
    else this.idsByExternalId.delete(user.externalId);
  }

  private countHolders(licenseKeys: readonly string[], delta: 1 | -1): void {
    for (const key of new Set(licenseKeys)) this.holders.set(key, this.seatsUsed(key) + delta);
  }
}

type Bookkeeping = Pick<EmulatedUser, 'licenseKeys' | 'adminRoles' | 'created' | 'lastModified' | 'version'>;

function describe(id: string, attributes: JsonObject, bookkeeping: Bookkeeping): EmulatedUser {
  // A GoTo user is active unless a client says otherwise.
  const withActive = { ...attributes, active: attributes['active'] ?? true };
  const externalId = attributes['externalId'];
  return {
    id,
    attributes: withActive,
    userName: String(attributes['userName']),
    ...(typeof externalId === 'string' ? { externalId } : {}),
    active: withActive.active === true,
    licenseKeys: bookkeeping.licenseKeys,
    adminRoles: bookkeeping.adminRoles,
    created: bookkeeping.created,
    lastModified: bookkeeping.lastModified,
    version: bookkeeping.version,
  };
}
