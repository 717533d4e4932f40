import { IDENTITY_TEXT, SqlParams, indexedText, whereOf } from './filter-sql';
import { parseFilter } from './odata-filter';

describe('free-text search through the trigram index', () => {
  it('asks the index for an address up to its @, the domain that most users share left to the match', () => {
    expect(indexedText('ada.lovelace@contoso.com')).toBe('ada.lovelace@');
    expect(indexedText('a@b@contoso.com')).toBe('a@b@');
    // Too short a local part narrows nothing by itself; text without an address is asked whole.
    expect(indexedText('ab@contoso.com')).toBe('ab@contoso.com');
    expect(indexedText('@contoso.com')).toBe('@contoso.com');
    expect(indexedText('lovelace')).toBe('lovelace');
  });

  it('matches each candidate on the whole text, within one identity', () => {
    const params = new SqlParams();
    const [search] = whereOf({ search: 'Ada@Contoso.com' }, undefined, params);
    expect(search).toContain(`${IDENTITY_TEXT} LIKE lower($2)`);
    expect(search).toContain('lower(target_user_name) LIKE lower($1)');
    expect(params.values).toEqual(['%Ada@Contoso.com%', '%Ada@%']);

    const filtered = new SqlParams();
    expect(whereOf({}, parseFilter("contains(targetIdentity/displayName, 'grace@contoso.com')"), filtered)).toEqual([
      `(target_user_name LIKE $1 AND ${IDENTITY_TEXT} LIKE lower($2))`,
    ]);
    expect(filtered.values).toEqual(['%grace@contoso.com%', '%grace@%']);
  });
});
