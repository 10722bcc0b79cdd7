/** S3's REST-XML error body and helpers. */
import type { SimError } from '../errors.js';

const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function renderS3Error(err: SimError, requestId: string, extra: Record<string, string> = {}): string {
  const more = Object.entries(extra)
    .map(([k, v]) => `<${k}>${escape(v)}</${k}>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escape(err.code)}</Code><Message>${escape(err.message)}</Message>${more}<RequestId>${requestId}</RequestId><HostId>sim</HostId></Error>`;
}

/**
 * Decode an `aws-chunked` body (what the SDK sends for streamed uploads with flexible checksums):
 * `<hex size>[;chunk-signature=...]\r\n<bytes>\r\n ... 0\r\n<trailers>\r\n\r\n`.
 */
export function decodeAwsChunked(buf: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  for (let guard = 0; guard < 100_000 && pos < buf.length; guard++) {
    const eol = buf.indexOf('\r\n', pos);
    if (eol < 0) break;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1').split(';')[0]!, 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    pos = eol + 2 + size + 2;
  }
  return Buffer.concat(parts);
}
