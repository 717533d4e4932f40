import { keysetPage } from './keyset-page';

describe('keysetPage', () => {
  it('continues after the last item kept when a row beyond the limit was read', () => {
    expect(keysetPage(['a', 'b', 'c'], 2, (id) => id)).toEqual({ items: ['a', 'b'], nextCursor: 'b' });
  });

  it('ends when no row beyond the limit was read', () => {
    expect(keysetPage(['a', 'b'], 2, (id) => id)).toEqual({ items: ['a', 'b'], nextCursor: null });
    expect(keysetPage([], 2, (id: string) => id)).toEqual({ items: [], nextCursor: null });
  });
});
