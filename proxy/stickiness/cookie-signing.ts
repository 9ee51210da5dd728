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

  /**
   * True when `signature` is exactly the signature `sign` gives `data`; compares in constant time. The text is
   * compared,
   * not its decoded bytes: base64url decoding skips foreign characters and ignores the last character's spare bits, so
   * decoding would accept many spellings of one signature, that is cookies the proxy never issued.
   */
  verify(data: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(data), 'latin1');
    const given = Buffer.from(signature, 'latin1');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
