import { GraphApiError } from '@roster/graph-client';
import { sourceVerdictOf } from './source-verdict';

const graphError = (status: number, code: string) => new GraphApiError({ message: `GET servicePrincipals/sp: ${status} ${code}`, status, code, kind: 'fatal' });

describe('sourceVerdictOf', () => {
  it.each([
    [graphError(401, 'invalid_client'), 'bad-credentials'],
    [graphError(400, 'invalid_request'), 'bad-credentials'],
    [graphError(403, 'Authorization_RequestDenied'), 'not-admin'],
    [graphError(0, 'network'), 'unreachable'],
    [graphError(404, 'Request_ResourceNotFound'), 'unexpected'],
    [new Error('socket hang up'), 'unexpected'],
  ])('%s → %s', (error, reason) => {
    expect(sourceVerdictOf(error, 'sp')).toMatchObject({ ok: false, reason });
  });

  it('names the enterprise app it could not read', () => {
    expect(sourceVerdictOf(graphError(404, 'Request_ResourceNotFound'), 'sp-42')).toMatchObject({ detail: expect.stringContaining('sp-42') });
  });
});
