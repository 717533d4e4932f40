import type { Exchange } from './http-exchange';

export type RouteHandler = (exchange: Exchange, params: readonly string[]) => Promise<void> | void;

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: string[] }
  | { kind: 'wrong-method' }
  | { kind: 'none' };

/** Method + path-pattern routing; capture groups become URL-decoded params ('' when a group did not take part). */
export class Router {
  private readonly routes: { method: string; pattern: RegExp; handler: RouteHandler }[] = [];

  on(method: string, pattern: RegExp, handler: RouteHandler): this {
    this.routes.push({ method, pattern, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      const params = found.slice(1).map((param) => (param === undefined ? '' : decodeURIComponent(param)));
      return { kind: 'found', handler: route.handler, params };
    }
    return pathMatched ? { kind: 'wrong-method' } : { kind: 'none' };
  }
}
