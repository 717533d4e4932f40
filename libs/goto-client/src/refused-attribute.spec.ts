import { refusedAttributeOf } from './refused-attribute';

const scimError = (scimType: string | undefined, detail: string) => ({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
  status: '400',
  ...(scimType ? { scimType } : {}),
  detail,
});

describe('refusedAttributeOf', () => {
  it.each([
    [scimError('invalidValue', 'Unknown attribute "title"'), 'title'],
    [scimError('invalidValue', "unknown attribute 'nickName'"), 'nickName'],
    [scimError('invalidPath', `path 'emails[type eq "work"].value' is not a known attribute path`), 'emails[type eq "work"].value'],
    [scimError('invalidValue', "'name.givenName' is required"), 'name.givenName'],
    [scimError(undefined, 'Invalid attribute: division'), 'division'],
    [scimError('mutability', "'id' is assigned by the service and must not be sent"), 'id'],
  ])('names the attribute of %j', (body, attribute) => {
    expect(refusedAttributeOf(body)).toBe(attribute);
  });

  it.each([
    ['an error about the request, not an attribute', scimError('invalidSyntax', "'schemas' must list 'urn:x'")],
    ['a detail that names none', scimError('invalidValue', 'Request is unparsable')],
    ['a body that is not SCIM', '<html>Bad Request</html>'],
    ['no body', undefined],
  ])('names none for %s', (_case, body) => {
    expect(refusedAttributeOf(body)).toBeUndefined();
  });
});
