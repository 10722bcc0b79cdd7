/**
 * `application/vnd.amazon.eventstream` framing, what the SDK's event-stream deserialiser reads:
 * [total length][headers length][prelude CRC32][headers][payload][message CRC32], big-endian.
 * Headers here are all strings (type 7).
 */
import { crc32 } from 'node:zlib';

export function encodeMessage(headers: Record<string, string>, payload: Buffer | string): Buffer {
  const headerParts: Buffer[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const n = Buffer.from(name, 'utf8');
    const v = Buffer.from(value, 'utf8');
    const h = Buffer.alloc(1 + n.length + 1 + 2 + v.length);
    let o = h.writeUInt8(n.length, 0);
    o += n.copy(h, o);
    o = h.writeUInt8(7, o);
    o = h.writeUInt16BE(v.length, o);
    v.copy(h, o);
    headerParts.push(h);
  }
  const headerBuf = Buffer.concat(headerParts);
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const total = 12 + headerBuf.length + body.length + 4;
  const msg = Buffer.alloc(total);
  msg.writeUInt32BE(total, 0);
  msg.writeUInt32BE(headerBuf.length, 4);
  msg.writeUInt32BE(crc32(msg.subarray(0, 8)) >>> 0, 8);
  headerBuf.copy(msg, 12);
  body.copy(msg, 12 + headerBuf.length);
  msg.writeUInt32BE(crc32(msg.subarray(0, total - 4)) >>> 0, total - 4);
  return msg;
}

export function eventMessage(eventType: string, payload: unknown): Buffer {
  return encodeMessage({ ':message-type': 'event', ':event-type': eventType, ':content-type': 'application/json' }, JSON.stringify(payload));
}

export function exceptionMessage(exceptionType: string, message: string): Buffer {
  return encodeMessage({ ':message-type': 'exception', ':exception-type': exceptionType, ':content-type': 'application/json' }, JSON.stringify({ message }));
}
