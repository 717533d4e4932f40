import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { PublicRoute, SERVICE_CONFIG } from '@roster/platform';
import type { AdminApiConfig } from '../config/admin-api.config';
import { ApiDoc } from '../docs/api-doc.decorator';
import { consoleFileFor } from './console-files';

/** The few parts of Express's response the console sends files with. */
interface FileResponse {
  setHeader(name: string, value: string): void;
  sendFile(path: string, callback: (error?: Error) => void): void;
}

/**
 * The page may load only its own scripts and styles and call only this API, and the OIDC issuer it
 * signs in with (its discovery document and token endpoint): a script injected into it could not
 * send the admin's credential elsewhere.
 */
function contentSecurityPolicy(config: AdminApiConfig): string {
  const issuer = config.CONSOLE_OIDC_CLIENT_ID !== undefined && config.OIDC_ISSUER !== undefined ? ` ${new URL(config.OIDC_ISSUER).origin}` : '';
  return `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${issuer}; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;
}

/**
 * The web console's static files. They are public: they hold no data and no secret, and every call
 * the console makes to the API carries the admin's credential like any other client's.
 */
@Controller('console')
@PublicRoute()
export class ConsoleController {
  private readonly contentSecurityPolicy: string;

  constructor(@Inject(SERVICE_CONFIG) private readonly config: AdminApiConfig) {
    this.contentSecurityPolicy = contentSecurityPolicy(config);
  }

  @Get()
  @ApiDoc({ summary: 'The web console (static files, no credential needed; every API call it makes needs one)' })
  page(@Res() res: FileResponse): Promise<void> {
    return this.send([], res);
  }

  @Get('*path')
  @ApiDoc({ summary: 'The web console’s files, and its page for every path of the app' })
  file(@Param('path') path: string[] | string, @Res() res: FileResponse): Promise<void> {
    return this.send(Array.isArray(path) ? path : path.split('/'), res);
  }

  private send(segments: string[], res: FileResponse): Promise<void> {
    const file = consoleFileFor(this.config.CONSOLE_DIR, segments);
    if (file.kind === 'missing') throw new NotFoundException(segments.length ? 'no such file in the console' : 'the console is not built: run npm run build');
    res.setHeader('content-security-policy', this.contentSecurityPolicy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    // The page names the hashed files of its build, so it is checked at each visit; they never change.
    res.setHeader('cache-control', file.kind === 'file' && file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    return new Promise((resolve, reject) => res.sendFile(file.path, (error) => (error ? reject(error) : resolve())));
  }
}
