/**
 * Compose durations, read like Go's `time.ParseDuration` (what compose-go uses): a sequence of
 * decimal numbers with units `ns`, `us`/`µs`, `ms`, `s`, `m`, `h` (`1m30s`, `1.5h`, `500ms`).
 * A bare `0` is allowed; any other number needs a unit. The model stores MILLISECONDS.
 */
const UNIT_MS: Readonly<Record<string, number>> = Object.freeze({
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
});

const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds, or undefined when `text` is not a duration. */
export function parseDuration(text: string): number | undefined {
  let s = text.trim();
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const m = PART.exec(s);
    if (!m) return undefined;
    total += parseFloat(m[1]!) * UNIT_MS[m[2]!]!;
  }
  // avoid float noise such as 1.1s -> 1100.0000000000002
  return sign * Math.round(total * 1e6) / 1e6;
}
