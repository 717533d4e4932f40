import type { AppViewRoute } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';

/** The link a request came through, by request: set by the middleware, read when the page is rendered. */
const linkBasePaths = new WeakMap<object, string>();

export function setLinkBasePath(request: object, basePath: string): void {
  linkBasePaths.set(request, basePath);
}

/**
 * Bull Board's page takes every address it calls (its JSON API, scripts, styles, translations) and
 * its router's basename from its `<base href>`, which the stock adapter renders from the one base
 * path it was mounted at. Rendered with the link's path instead, the page's calls go back through
 * the link (and its token), as a browser cannot add the Authorization header to them.
 */
export class LinkAwareExpressAdapter extends ExpressAdapter {
  override setEntryRoute(route: AppViewRoute): ExpressAdapter {
    const render = (request: object, response: { render(view: string, params: object): void }) => {
      const { name, params } = route.handler({ basePath: linkBasePaths.get(request) ?? this.basePath, uiConfig: this.uiConfig });
      response.render(name, params);
    };
    this.app[route.method](route.route, render);
    return this;
  }
}
