import type { Exchange } from './http-exchange';
import type { Router } from './router';
import type { SubscriptionService, SubscriptionView } from './subscription-service';

/** `/v1.0/subscriptions`: each application sees and manages only its own subscriptions. */
export function registerSubscriptionRoutes(router: Router, subscriptions: SubscriptionService): void {
  const caller = (exchange: Exchange) => exchange.appId ?? '';
  const entity = (exchange: Exchange, view: SubscriptionView) => ({
    '@odata.context': `${exchange.baseUrl}/v1.0/$metadata#subscriptions/$entity`,
    ...view,
  });
  const one = /^\/v1\.0\/subscriptions\/([^/]+)$/i;

  router
    .on('POST', /^\/v1\.0\/subscriptions$/i, async (exchange) => {
      const created = await subscriptions.create(caller(exchange), await exchange.json());
      exchange.send(201, entity(exchange, created));
    })
    .on('GET', /^\/v1\.0\/subscriptions$/i, (exchange) =>
      exchange.send(200, {
        '@odata.context': `${exchange.baseUrl}/v1.0/$metadata#subscriptions`,
        value: subscriptions.list(caller(exchange)),
      }),
    )
    .on('GET', one, (exchange, [id]) => exchange.send(200, entity(exchange, subscriptions.get(caller(exchange), id))))
    .on('PATCH', one, async (exchange, [id]) => {
      const renewed = subscriptions.renew(caller(exchange), id, await exchange.json());
      exchange.send(200, entity(exchange, renewed));
    })
    .on('DELETE', one, (exchange, [id]) => {
      subscriptions.delete(caller(exchange), id);
      exchange.send(204);
    })
    .on('POST', /^\/v1\.0\/subscriptions\/([^/]+)\/reauthorize$/i, (exchange, [id]) => {
      subscriptions.reauthorize(caller(exchange), id);
      exchange.send(204);
    });
}
