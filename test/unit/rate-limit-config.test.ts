import { defaultRateLimits, rateLimitsFromEnv } from '../../api/rate-limit';

test('rate limits come from the environment where set, the defaults otherwise, and nonsense is refused', () => {
  expect(rateLimitsFromEnv({})).toEqual(defaultRateLimits);
  expect(rateLimitsFromEnv({ RATE_LIMIT_INTAKE_PER_MINUTE: '5000' })).toEqual({ intake: { limit: 5000, windowMs: 60_000 }, reads: defaultRateLimits.reads });
  expect(() => rateLimitsFromEnv({ RATE_LIMIT_READS_PER_MINUTE: 'lots' })).toThrow(/RATE_LIMIT_READS_PER_MINUTE/);
  expect(() => rateLimitsFromEnv({ RATE_LIMIT_READS_PER_MINUTE: '0' })).toThrow(/whole number/);
});
