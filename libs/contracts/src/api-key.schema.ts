import { z } from 'zod';

/** `admin` may do everything; `reader` sees jobs, progress and logs, never secrets, and takes no action. */
export const AdminRole = z.enum(['admin', 'reader']);
export type AdminRole = z.infer<typeof AdminRole>;

export const createApiKeySchema = z.strictObject({
  name: z.string().trim().min(1).max(128),
  role: AdminRole,
});
export type CreateApiKey = z.infer<typeof createApiKeySchema>;

export const apiKeyViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  role: AdminRole,
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKeyView = z.infer<typeof apiKeyViewSchema>;

/** The answer to a key's creation: the only time the key itself is shown. */
export const createdApiKeySchema = apiKeyViewSchema.extend({ key: z.string() });

/** Who a request comes from, once authenticated: an API key or an OIDC subject, with its role. */
export const adminPrincipalSchema = z.strictObject({
  kind: z.enum(['api-key', 'oidc']),
  id: z.string(),
  name: z.string(),
  role: AdminRole,
});
export type AdminPrincipal = z.infer<typeof adminPrincipalSchema>;

/**
 * `GET /auth/sign-in-options` (no credential): how the web console may sign in. `oidc` is set when
 * the console is registered at the OIDC issuer as a public client (authorization code with PKCE).
 */
export const signInOptionsSchema = z.object({
  apiKey: z.literal(true),
  oidc: z.object({ issuer: z.string(), clientId: z.string(), scope: z.string() }).nullable(),
});
export type SignInOptions = z.infer<typeof signInOptionsSchema>;
