/**
 * The one string order for output: by UTF-16 code unit, as `Array.prototype.sort` does without a
 * comparator. `localeCompare` depends on the machine's locale and ICU data, so the same input could
 * print (or serialise) in another order elsewhere. Here, beside the converter, because both
 * `convert/` and `aws/` may import it (test/architecture.test.ts).
 */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
