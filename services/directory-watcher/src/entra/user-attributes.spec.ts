import { toUserState, userSelect } from './user-attributes';

describe('user attributes from Graph', () => {
  it('selects the mapped properties plus ENTRA_SELECT, once each', () => {
    expect(userSelect(['employeeType', 'mail'])).toEqual([
      'userPrincipalName',
      'mail',
      'givenName',
      'surname',
      'displayName',
      'accountEnabled',
      'jobTitle',
      'department',
      'employeeId',
      'employeeType',
    ]);
  });

  it('keeps flat values, drops id, annotations and nulls, and flattens complex values one level', () => {
    const state = toUserState({
      id: 'u1',
      '@odata.type': '#microsoft.graph.user',
      userPrincipalName: 'ada@contoso.com',
      mail: null,
      accountEnabled: false,
      businessPhones: ['+1 555'],
      onPremisesExtensionAttributes: { extensionAttribute1: 'cost-centre', extensionAttribute2: null },
      identities: [{ signInType: 'userName' }],
    });
    expect(state).toEqual({
      accountEnabled: false,
      attributes: {
        userPrincipalName: 'ada@contoso.com',
        accountEnabled: false,
        businessPhones: ['+1 555'],
        'onPremisesExtensionAttributes.extensionAttribute1': 'cost-centre',
      },
    });
  });

  it('reads a user without accountEnabled as enabled', () => {
    expect(toUserState({ id: 'u1' }).accountEnabled).toBe(true);
  });
});
