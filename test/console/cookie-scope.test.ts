// Cookies a shop sets reach the console's mirror of the public listener: the path moves under the mirror, nothing else
// changes.
import { describe, expect, it } from 'vitest';
import { underPrefix } from '../../lab/console/cookie-scope.ts';

describe('underPrefix', () => {
  it('moves the path of the proxy cookie and of the shop session cookie under the mirror', () => {
    expect(underPrefix('LABLB=a.b.c; Path=/memory; Max-Age=86400; SameSite=Lax; HttpOnly', '/console/public')).toBe(
      'LABLB=a.b.c; Path=/console/public/memory; Max-Age=86400; SameSite=Lax; HttpOnly',
    );
    expect(
      underPrefix(
        'cart_memory_sid=s%3Axyz; path=/memory; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly',
        '/console/public',
      ),
    ).toBe('cart_memory_sid=s%3Axyz; Path=/console/public/memory; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly');
  });

  it(
    'drops a Domain, treats a root or odd path as the root of ' +
      'the mirror, and leaves a cookie without a path alone',
    () => {
      expect(underPrefix('a=1; Domain=shop.example; Path=/', '/console/public')).toBe('a=1; Path=/console/public/');
      expect(underPrefix('a=1; Path=relative', '/console/public')).toBe('a=1; Path=/console/public/');
      expect(underPrefix('a=1; Secure', '/console/public')).toBe('a=1; Secure');
    },
  );
});
