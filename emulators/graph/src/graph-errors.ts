/** A failure answered with Graph's `{"error":{code,message,innerError}}` body; any handler may throw it. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new GraphHttpError(400, 'Request_BadRequest', message);

export const unsupportedQuery = (message: string) =>
  new GraphHttpError(400, 'Request_UnsupportedQuery', message);

export const resourceNotFound = (id: string) =>
  new GraphHttpError(
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
  );

export const notImplemented = () =>
  new GraphHttpError(501, 'NotImplemented', 'This operation target is not yet supported.');

export const unauthenticated = (message: string) =>
  new GraphHttpError(401, 'InvalidAuthenticationToken', message);

/** Graph's `innerError.date`: UTC without a zone designator. */
export const graphErrorDate = (epochMs: number) => new Date(epochMs).toISOString().slice(0, 19);
