import { defaultRateLimits, rateLimitsFromEnv, trustProxySetting } from '../../api/rate-limit';
import { readConfig } from '../../domain/config';

test('rate limits come from the environment where set, the defaults otherwise, and nonsense is refused', () => {
  expect(rateLimitsFromEnv({})).toEqual(defaultRateLimits);
  expect(rateLimitsFromEnv({ RATE_LIMIT_INTAKE_PER_MINUTE: '5000' })).toEqual({ intake: { limit: 5000, windowMs: 60_000 }, reads: defaultRateLimits.reads });
  expect(() => rateLimitsFromEnv({ RATE_LIMIT_READS_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_READS_PER_MINUTE/);
  expect(() => rateLimitsFromEnv({ RATE_LIMIT_READS_PER_MINUTE: '0' })).toThrow(/whole number/);
});

test("TRUST_PROXY becomes Express's trust-proxy setting: hops as a number, true, or the proxies as given", () => {
  expect(trustProxySetting('1')).toBe(1);
  expect(trustProxySetting('true')).toBe(true);
  expect(trustProxySetting('10.0.0.0/8, 127.0.0.1')).toBe('10.0.0.0/8, 127.0.0.1');
  expect(readConfig({ TRUST_PROXY: 'loopback' }).TRUST_PROXY).toBe('loopback');
  expect(() => readConfig({ TRUST_PROXY: 'every proxy; rm -rf' })).toThrow(/TRUST_PROXY/);
});
