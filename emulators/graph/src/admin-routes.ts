import { z } from 'zod';
import type { GraphEmulator } from './graph-emulator';
import { parseInput } from './input-validation';
import type { Router } from './router';

const seedSchema = z.strictObject({
  count: z.int().min(1).max(1_000_000),
  domain: z.string().optional(),
  assign: z
    .union([z.boolean(), z.strictObject({ servicePrincipalId: z.guid().optional(), appRoleId: z.guid().optional() })])
    .optional(),
});
const memberSchema = z.strictObject({ id: z.guid() });
const expireSchema = z.strictObject({ code: z.enum(['syncStateNotFound', 'resyncRequired']).optional() });
const lifecycleSchema = z.strictObject({ event: z.enum(['reauthorizationRequired', 'subscriptionRemoved', 'missed']) });
const throttlingSchema = z.strictObject({
  failNext: z
    .strictObject({
      count: z.int().min(1),
      status: z.union([z.literal(429), z.literal(503)]),
      retryAfterSeconds: z.int().min(0).optional(),
      urlIncludes: z.string().min(1).optional(),
    })
    .optional(),
  resourceUnits: z.strictObject({ limit: z.number().positive(), windowSeconds: z.number().positive() }).optional(),
});

/**
 * The admin API over HTTP under `/_emulator/`, mirroring the GraphEmulator methods so tools in
 * other processes (the quickstart, manual testing with curl) can shape the directory. No auth:
 * the emulator is a local development tool.
 */
export function registerAdminRoutes(router: Router, emulator: GraphEmulator): void {
  router
    .on('GET', /^\/_emulator\/state$/, (exchange) => exchange.send(200, emulator.describe()))
    .on('POST', /^\/_emulator\/reset$/, (exchange) => {
      emulator.reset();
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/users$/, async (exchange) => {
      exchange.send(201, emulator.addUser((await exchange.json()) as Parameters<GraphEmulator['addUser']>[0]));
    })
    .on('POST', /^\/_emulator\/users\/seed$/, async (exchange) => {
      const { count, ...options } = parseInput(seedSchema, await exchange.json());
      exchange.send(201, { count: emulator.seedUsers(count, options).length });
    })
    .on('PATCH', /^\/_emulator\/users\/([^/]+)$/, async (exchange, [id]) => {
      exchange.send(200, emulator.updateUser(id, (await exchange.json()) as Parameters<GraphEmulator['updateUser']>[1]));
    })
    .on('DELETE', /^\/_emulator\/users\/([^/]+)$/, (exchange, [id]) => {
      if (exchange.query('permanent') === 'true') emulator.hardDeleteUser(id);
      else emulator.softDeleteUser(id);
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/users\/([^/]+)\/restore$/, (exchange, [id]) => exchange.send(200, emulator.restoreUser(id)))
    .on('POST', /^\/_emulator\/groups$/, async (exchange) => {
      exchange.send(201, emulator.addGroup((await exchange.json()) as Parameters<GraphEmulator['addGroup']>[0]));
    })
    .on('PATCH', /^\/_emulator\/groups\/([^/]+)$/, async (exchange, [id]) => {
      exchange.send(200, emulator.updateGroup(id, (await exchange.json()) as Parameters<GraphEmulator['updateGroup']>[1]));
    })
    .on('DELETE', /^\/_emulator\/groups\/([^/]+)$/, (exchange, [id]) => {
      emulator.deleteGroup(id);
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/groups\/([^/]+)\/members$/, async (exchange, [groupId]) => {
      emulator.addGroupMember(groupId, parseInput(memberSchema, await exchange.json()).id);
      exchange.send(204);
    })
    .on('DELETE', /^\/_emulator\/groups\/([^/]+)\/members\/([^/]+)$/, (exchange, [groupId, memberId]) => {
      emulator.removeGroupMember(groupId, memberId);
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/assignments$/, async (exchange) => {
      exchange.send(201, emulator.assignAppRole((await exchange.json()) as Parameters<GraphEmulator['assignAppRole']>[0]));
    })
    .on('DELETE', /^\/_emulator\/assignments\/([^/]+)$/, (exchange, [id]) => {
      emulator.unassignAppRole(id);
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/delta\/expire$/, async (exchange) => {
      emulator.expireDeltaTokens(parseInput(expireSchema, await exchange.json({ optional: true })).code);
      exchange.send(204);
    })
    .on('PUT', /^\/_emulator\/throttling$/, async (exchange) => {
      emulator.setThrottling(parseInput(throttlingSchema, await exchange.json()));
      exchange.send(204);
    })
    .on('POST', /^\/_emulator\/tokens\/revoke$/, (exchange) => {
      emulator.revokeAccessTokens();
      exchange.send(204);
    })
    .on('GET', /^\/_emulator\/subscriptions$/, (exchange) => exchange.send(200, { value: emulator.listSubscriptions() }))
    .on('POST', /^\/_emulator\/subscriptions\/([^/]+)\/lifecycle$/, async (exchange, [id]) => {
      emulator.triggerLifecycleEvent(id, parseInput(lifecycleSchema, await exchange.json()).event);
      exchange.send(204);
    })
    .on('GET', /^\/_emulator\/notifications$/, (exchange) => exchange.send(200, { value: emulator.notificationDeliveries() }))
    .on('GET', /^\/_emulator\/requests$/, (exchange) => exchange.send(200, { value: emulator.requestLog() }))
    .on('DELETE', /^\/_emulator\/requests$/, (exchange) => {
      emulator.clearRequestLog();
      exchange.send(204);
    });
}
