// HMAC-SHA256 signatures that make the proxy's cookie unforgeable: a client cannot choose its target.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Signs and checks strings with one secret. */
export class CookieSigner {
  private readonly secret: Buffer;

  constructor(secret: string) {
    this.secret = Buffer.from(secret, 'utf8');
  }

  /** The base64url signature of `data`. */
  sign(data: string): string {
    return createHmac('sha256', this.secret).update(data).digest('base64url');
  }

  /** True when `signature` is the signature of `data`; compares in constant time. */
  verify(data: string, signature: string): boolean {
    const expected = createHmac('sha256', this.secret).update(data).digest();
    const given = Buffer.from(signature, 'base64url');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
