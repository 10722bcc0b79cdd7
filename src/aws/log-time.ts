/** `logs --since` and `--tail` values, read as docker does. */
import { UserError } from '../errors.js';

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(?:\d+(?:\.\d+)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d+)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/;
const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h)/g;

/** A Go duration (`10m`, `1h30m`, `90s`, `1.5h`) in milliseconds, or undefined. */
export function parseDuration(value: string): number | undefined {
  if (!DURATION.test(value)) return undefined;
  let ms = 0;
  for (const m of value.matchAll(PART)) ms += Number(m[1]) * UNIT_MS[m[2]!]!;
  return ms;
}

/**
 * The start of `--since`, in epoch milliseconds: a duration before `now`, an RFC 3339 time
 * (`2026-01-02T15:04:05Z`, with an offset or fraction; without a zone it is local time, as docker
 * reads it), a date (`2026-01-02`, local midnight) or Unix seconds (`1767225600`, `1767225600.5`).
 */
export function parseSince(value: string, now: Date, flag = '--since'): number {
  const v = value.trim();
  const duration = parseDuration(v);
  if (duration !== undefined) return now.getTime() - Math.round(duration);
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  let iso: string | undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) iso = `${v}T00:00:00`;
  else if (/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?$/.test(v)) iso = v.replace(' ', 'T');
  const at = iso !== undefined ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) {
    throw new UserError(`Invalid ${flag} value "${value}"; give a duration such as 10m or 1h30m, or a time such as 2026-01-02T15:04:05Z.`);
  }
  return at;
}

/** `--tail`: `all` (undefined) or a count of lines per service. */
export function parseTail(value: string | undefined): number | undefined {
  if (value === undefined || value === 'all' || value === '-1') return undefined;
  if (!/^\d+$/.test(value)) throw new UserError(`Invalid --tail value "${value}"; give a number of lines or "all".`);
  return Number(value);
}
