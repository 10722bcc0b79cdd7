/**
 * AWS query protocol (CloudFormation, ELBv2, STS) and its EC2 variant: form-encoded requests,
 * XML responses. Responses are written with the SDK's own output schemas (the same schemas its
 * deserialiser reads), so member names, list wrappers (`member` / `item`) and EC2's camelCase
 * `xxxSet` names come out exactly as the SDK expects.
 */
import { XmlShapeSerializer } from '@aws-sdk/core/protocols';
import type { SimError } from '../errors.js';

export type Params = Record<string, unknown>;

/**
 * Parse a form body into nested params: `Tags.member.1.Key=a` gives `{ Tags: [{ Key: 'a' }] }`,
 * EC2's `Filter.1.Value.1=x` gives `{ Filter: [{ Value: ['x'] }] }`, an empty list (`Parameters=`)
 * gives `[]`.
 */
export function parseQueryBody(body: string): { action: string; version: string; params: Params } {
  const form = new URLSearchParams(body);
  const root: Record<string, unknown> = {};
  let action = '';
  let version = '';
  for (const [key, value] of form) {
    if (key === 'Action') {
      action = value;
      continue;
    }
    if (key === 'Version') {
      version = value;
      continue;
    }
    const parts = key.split('.');
    let node: Record<string, unknown> = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const part = parts[i]!;
      const child = node[part];
      if (typeof child !== 'object' || child === null) node[part] = {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1]!] = value;
  }
  return { action, version, params: normalise(root) as Params };
}

function normalise(node: unknown): unknown {
  if (typeof node !== 'object' || node === null) return node;
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && (keys[0] === 'member' || keys[0] === 'item' || keys[0] === 'entry')) {
    return toList(obj[keys[0]!]);
  }
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) return toList(obj);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = normalise(obj[k]);
  return out;
}

function toList(node: unknown): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Record<string, unknown>;
  return Object.keys(obj)
    .filter((k) => /^\d+$/.test(k))
    .sort((a, b) => Number(a) - Number(b))
    .map((k) => normalise(obj[k]));
}

/** Normalise an `[]`, `''` (empty list) or missing param to a list. */
export function list<T = unknown>(v: unknown): T[] {
  if (Array.isArray(v)) return v as T[];
  return [];
}

export interface QueryService {
  /** XML namespace of the service's responses. */
  xmlns: string;
  /** EC2 dialect: no Result wrapper, requestId inside, `<Response><Errors>` errors. */
  ec2?: boolean;
}

const escape = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Serialise `output` with the operation's output schema; `opSchema` is e.g. `DescribeStacks$`. */
export function renderQueryResponse(
  service: QueryService,
  action: string,
  opSchema: unknown,
  output: unknown,
  requestId: string,
): string {
  const outputSchema = (opSchema as unknown[])[5];
  let inner = '';
  if (output && typeof output === 'object' && Object.keys(output).length > 0) {
    const ser = new XmlShapeSerializer({
      timestampFormat: { useTrait: true, default: 5 },
      httpBindings: false,
      ...(service.ec2 ? { ec2: true } : {}),
    } as never);
    ser.write(outputSchema as never, output);
    const xml = String(ser.flush());
    // Drop the serialiser's root element: the protocol supplies its own wrapper.
    const m = /^<[^>]*?(\/>|>)([\s\S]*)$/.exec(xml);
    if (m && m[1] === '>') inner = m[2]!.replace(/<\/[^>]+>\s*$/, '');
  }
  if (service.ec2) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${service.xmlns}"><requestId>${requestId}</requestId>${inner}</${action}Response>`;
  }
  return (
    `<${action}Response xmlns="${service.xmlns}">` +
    (inner ? `<${action}Result>${inner}</${action}Result>` : `<${action}Result/>`) +
    `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`
  );
}

export function renderQueryError(service: QueryService, err: SimError, requestId: string): string {
  if (service.ec2) {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escape(err.code)}</Code><Message>${escape(err.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
  }
  return `<ErrorResponse xmlns="${service.xmlns}"><Error><Type>${err.fault}</Type><Code>${escape(err.code)}</Code><Message>${escape(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
}
