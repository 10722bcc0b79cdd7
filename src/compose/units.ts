/**
 * Byte sizes and CPU counts as docker reads them.
 *
 * Sizes follow docker's `units.RAMInBytes`: a number, optionally followed by b, k, m, g, t or p
 * (any case), optionally followed by `i` and/or `b`; every multiplier is binary (k = 1024), so
 * `512m`, `512mb` and `512MiB` are all 536870912 bytes. A plain number is bytes.
 */
const SIZE = /^(\d+(?:\.\d+)?) ?([kmgtp])?(i)?(b)?$/i;
const MULTIPLIER: Readonly<Record<string, number>> = Object.freeze({ '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 });

/** Bytes, or undefined when `value` is not a size. */
export function parseBytes(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  const m = SIZE.exec(value.trim());
  if (!m) return undefined;
  // `5i` (an `i` without a unit letter) is not a size
  if (m[3] && !m[2]) return undefined;
  return Math.floor(parseFloat(m[1]!) * MULTIPLIER[(m[2] ?? '').toLowerCase()]!);
}

/** CPUs as a number (`"0.5"` -> 0.5), or undefined when not a non-negative number. */
export function parseCpus(value: string | number): number | undefined {
  const n = typeof value === 'number' ? value : /^\s*\d*\.?\d+\s*$/.test(value) ? parseFloat(value) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
