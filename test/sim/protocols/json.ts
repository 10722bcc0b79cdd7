/**
 * AWS JSON 1.1 (ECS, CloudWatch Logs, Secrets Manager: `X-Amz-Target: Prefix.Operation`) and
 * REST-JSON (EFS). Timestamps go out as epoch seconds, the JSON protocols' default; CloudWatch
 * Logs models its times as epoch-millisecond longs, which handlers give as plain numbers.
 */
import type { SimError } from '../errors.js';


/** Deep copy with every Date replaced by epoch seconds. */
export function jsonDates(v: unknown): unknown {
  if (v instanceof Date) return v.getTime() / 1000;
  if (Array.isArray(v)) return v.map(jsonDates);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonDates(x);
    return out;
  }
  return v;
}

export function renderJson(output: unknown): string {
  return JSON.stringify(jsonDates(output ?? {}));
}

/** JSON 1.1 error: `{"__type": "...", "message": "..."}` plus the `x-amzn-ErrorType` header. */
export function renderJsonError(err: SimError): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'x-amzn-errortype': err.code, 'content-type': 'application/x-amz-json-1.1' },
    body: JSON.stringify({ __type: err.code, message: err.message }),
  };
}

/** REST-JSON error (EFS): `x-amzn-ErrorType` names it, the body carries ErrorCode and Message. */
export function renderRestJsonError(err: SimError): { headers: Record<string, string>; body: string } {
  return {
    headers: { 'x-amzn-errortype': err.code, 'content-type': 'application/json' },
    body: JSON.stringify({ ErrorCode: err.code, Message: err.message, message: err.message }),
  };
}
