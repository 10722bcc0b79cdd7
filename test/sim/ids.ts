/** Deterministic identifiers: every simulator owns one IdSource seeded the same way. */
export class IdSource {
  private state: number;
  private counter = 0;
  constructor(seed = 0x5eed) {
    this.state = seed >>> 0 || 1;
  }
  /** xorshift32: deterministic, good enough for ids. */
  private next(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }
  hex(len: number): string {
    let out = '';
    while (out.length < len) out += this.next().toString(16).padStart(8, '0');
    return out.slice(0, len);
  }
  alnum(len: number, upper = true): string {
    const chars = upper ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' : 'abcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < len; i++) out += chars[this.next() % chars.length];
    return out;
  }
  uuid(): string {
    const h = this.hex(32);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
  int(max: number): number {
    return this.next() % max;
  }
  seq(): number {
    return ++this.counter;
  }
}
