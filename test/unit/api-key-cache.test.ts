import { ApiKeyCache } from '../../api/api-key-cache';

// The rules of the staff-identity cache (api/api-key-cache.ts), without PostgreSQL: the listener's
// part is tested against the real database in test/api/api-key-cache.test.ts.

const identity = { keyId: 'k1', label: 'desk 3', role: 'department' as const, departmentCode: 'transport' };

test('keeps nothing unless changes are heard', () => {
  const cache = new ApiKeyCache();
  cache.keep('h', identity, cache.mark());
  expect(cache.get('h')).toBeUndefined();
  cache.setListening(true);
  cache.keep('h', identity, cache.mark());
  expect(cache.get('h')).toEqual(identity);
  cache.setListening(false);
  expect(cache.get('h')).toBeUndefined();
});

test('a change clears what is kept, and a lookup begun before it is not kept after it', () => {
  const cache = new ApiKeyCache();
  cache.setListening(true);
  cache.keep('h', identity, cache.mark());
  const mark = cache.mark();
  cache.changed();
  expect(cache.get('h')).toBeUndefined();
  cache.keep('h', identity, mark);
  expect(cache.get('h')).toBeUndefined();
});

test('an identity is kept for its time only, and a full cache starts again', () => {
  let now = 1_000;
  const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
  try {
    const cache = new ApiKeyCache(60_000, 2);
    cache.setListening(true);
    cache.keep('a', identity, cache.mark());
    now += 59_999;
    expect(cache.get('a')).toEqual(identity);
    now += 1;
    expect(cache.get('a')).toBeUndefined();
    cache.keep('b', identity, cache.mark());
    cache.keep('c', identity, cache.mark());
    cache.keep('d', identity, cache.mark());
    // Full with a (expired) and b: keeping c starts again.
    expect([cache.get('b'), cache.get('c'), cache.get('d')]).toEqual([undefined, identity, identity]);
  } finally {
    spy.mockRestore();
  }
});
