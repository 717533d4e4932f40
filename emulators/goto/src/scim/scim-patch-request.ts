import { ApiError } from '../http/api-error';
import { isJsonObject, type JsonObject } from '../http/http-io';
import { SCIM_URN } from './scim-schemas';
import { invalidSyntax } from './scim-validator';

export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path?: string;
  value?: unknown;
}

export interface AttributePath {
  /** Set for an extension path (`urn:...:enterprise:2.0:User:department`). */
  extension?: string;
  /** Undefined when the path names a whole extension. */
  attribute?: string;
  /** `emails[type eq "work"]` */
  filter?: { attribute: string; value: string };
  subAttribute?: string;
}

const OPS: ReadonlySet<string> = new Set(['add', 'replace', 'remove']);

/** Parses a SCIM PatchOp body. Entra writes `op` in any case ("Replace"), which SCIM allows. */
export function parsePatchRequest(body: JsonObject): PatchOperation[] {
  const schemas = body['schemas'];
  if (!Array.isArray(schemas) || schemas.length !== 1 || schemas[0] !== SCIM_URN.patchOp) {
    throw invalidSyntax(`'schemas' must be ["${SCIM_URN.patchOp}"]`);
  }
  const unknown = Object.keys(body).find((key) => key !== 'schemas' && key !== 'Operations');
  if (unknown) throw invalidSyntax(`unknown attribute '${unknown}' in PatchOp`);
  const operations = body['Operations'];
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax(`'Operations' must be a non-empty array`);
  return operations.map((operation, index) => parseOperation(operation, index));
}

function parseOperation(operation: unknown, index: number): PatchOperation {
  if (!isJsonObject(operation)) throw invalidSyntax(`Operations[${index}] must be an object`);
  const unknown = Object.keys(operation).find((key) => !['op', 'path', 'value'].includes(key));
  if (unknown) throw invalidSyntax(`unknown member '${unknown}' in Operations[${index}]`);
  const op = typeof operation['op'] === 'string' ? operation['op'].toLowerCase() : undefined;
  if (!op || !OPS.has(op)) throw invalidSyntax(`Operations[${index}].op must be add, replace or remove`);
  const path = operation['path'];
  if (path !== undefined && typeof path !== 'string') throw invalidSyntax(`Operations[${index}].path must be a string`);
  if (op === 'remove' && path === undefined) throw new ApiError(400, 'noTarget', `Operations[${index}]: remove needs a path`);
  if (op !== 'remove' && !('value' in operation)) throw invalidSyntax(`Operations[${index}]: ${op} needs a value`);
  return { op: op as PatchOperation['op'], ...(path !== undefined ? { path } : {}), value: operation['value'] };
}

const PATH = /^([A-Za-z$][\w$]*)(?:\[\s*([A-Za-z$][\w$]*)\s+[eE][qQ]\s+("(?:[^"\\]|\\.)*")\s*\])?(?:\.([A-Za-z$][\w$]*))?$/;

/** Splits a SCIM attribute path, which may carry its schema URN as a prefix. */
export function parseAttributePath(path: string, coreUrn: string, extensionUrns: readonly string[]): AttributePath {
  const extension = extensionUrns.find((urn) => path === urn || path.startsWith(`${urn}:`));
  if (extension) {
    return path === extension ? { extension } : { extension, ...parseSimplePath(path.slice(extension.length + 1), path) };
  }
  return parseSimplePath(path.startsWith(`${coreUrn}:`) ? path.slice(coreUrn.length + 1) : path, path);
}

function parseSimplePath(rest: string, path: string): AttributePath {
  const match = PATH.exec(rest);
  if (!match) throw invalidPath(path);
  const [, attribute, filterAttribute, filterValue, subAttribute] = match;
  return {
    attribute: attribute!,
    ...(filterAttribute ? { filter: { attribute: filterAttribute, value: JSON.parse(filterValue!) as string } } : {}),
    ...(subAttribute ? { subAttribute } : {}),
  };
}

export function invalidPath(path: string, why = 'is not a known attribute path'): ApiError {
  return new ApiError(400, 'invalidPath', `path '${path}' ${why}`);
}
