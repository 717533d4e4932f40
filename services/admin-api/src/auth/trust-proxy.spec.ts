import { trustProxySchema } from './trust-proxy';

describe('TRUST_PROXY', () => {
  it('takes false, a number of hops, or proxy addresses, subnets and Express’s range names', () => {
    expect(trustProxySchema.parse('false')).toBe(false);
    expect(trustProxySchema.parse('2')).toBe(2);
    expect(trustProxySchema.parse('loopback, 10.0.0.0/8,fd00::/8, 192.0.2.7')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
  });

  it('refuses true, which would let any client name its own address, and what it cannot read', () => {
    for (const value of ['true', '0', '11', '10.0.0.0/33', 'proxy.example.com', 'loopback,,10.0.0.1', '10.0.0.1/8/1']) {
      expect([value, trustProxySchema.safeParse(value).success]).toEqual([value, false]);
    }
    expect(trustProxySchema.safeParse('true').error?.issues[0]?.message).toMatch(/any client/);
  });
});
