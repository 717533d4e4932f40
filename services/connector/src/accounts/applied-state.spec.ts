import { appliedStateOf, driftedAttributes } from './applied-state';

describe('applied state', () => {
  it('keeps a Redact()ed value only as a hash, and still sees it change', () => {
    const applied = appliedStateOf({ title: 'Eng', secret: 's3cret' }, ['secret']);
    expect(JSON.stringify(applied)).not.toContain('s3cret');
    expect(applied['secret']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(driftedAttributes({ title: 'Eng', secret: 's3cret' }, applied, ['secret'])).toEqual([]);
    expect(driftedAttributes({ title: 'Lead', secret: 'other' }, applied, ['secret'])).toEqual(['title', 'secret']);
  });

  it('compares multi-valued attributes by value', () => {
    const roles = [{ value: 'a', primary: true }];
    expect(driftedAttributes({ roles: [{ value: 'a', primary: true }] }, appliedStateOf({ roles }, []), [])).toEqual([]);
  });
});
