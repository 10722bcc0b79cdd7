/**
 * S3 (REST-XML), enough for large templates: buckets, PutObject / GetObject / HeadObject /
 * DeleteObject, ListObjectsV2, and PutBucket* sub-resources accepted as no-ops. Path-style and
 * virtual-host-style (`bucket.127.0.0.1` / `bucket.localhost`) addressing.
 */
import { createHash } from 'node:crypto';
import { SimError } from '../errors.js';
import { decodeAwsChunked } from '../protocols/rest-xml.js';
import type { World } from '../world.js';
import type { IncomingHttpHeaders } from 'node:http';

export interface S3Result {
  status: number;
  headers?: Record<string, string>;
  body?: Buffer | string;
}

export interface S3Route {
  operation: string;
  bucket?: string;
  key?: string;
  run(world: World): S3Result;
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const noBucket = (b: string): SimError => new SimError('NoSuchBucket', 'The specified bucket does not exist', 404);

export function s3Route(method: string, host: string, path: string, query: URLSearchParams, headers: IncomingHttpHeaders, rawBody: Buffer): S3Route {
  let bucket: string | undefined;
  let key: string | undefined;
  const hostname = host.split(':')[0] ?? '';
  const vhost = /^(.+)\.(127\.0\.0\.1|localhost|s3[.-].*amazonaws\.com)$/.exec(hostname);
  const parts = path.replace(/^\//, '');
  if (vhost) {
    bucket = vhost[1];
    key = parts ? decodeURIComponent(parts) : undefined;
  } else if (parts) {
    const slash = parts.indexOf('/');
    bucket = decodeURIComponent(slash < 0 ? parts : parts.slice(0, slash));
    key = slash < 0 || slash === parts.length - 1 ? undefined : decodeURIComponent(parts.slice(slash + 1));
  }
  const sub = [...query.keys()].find((k) => !['x-id', 'list-type', 'prefix', 'max-keys', 'continuation-token', 'delimiter', 'start-after', 'encoding-type'].includes(k));
  const body = (): Buffer => {
    const chunked = String(headers['content-encoding'] ?? '').includes('aws-chunked') || String(headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
    return chunked ? decodeAwsChunked(rawBody) : rawBody;
  };
  const bucketOf = (world: World, b: string) => {
    const m = world.buckets.get(b);
    if (!m) throw noBucket(b);
    return m;
  };

  if (!bucket) {
    return {
      operation: 'ListBuckets',
      run: (world) => ({
        status: 200,
        headers: { 'content-type': 'application/xml' },
        body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListAllMyBucketsResult><Owner><ID>sim</ID></Owner><Buckets>${[...world.buckets.keys()]
          .map((b) => `<Bucket><Name>${esc(b)}</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket>`)
          .join('')}</Buckets></ListAllMyBucketsResult>`,
      }),
    };
  }
  const b = bucket;
  if (key === undefined) {
    if (method === 'PUT' && !sub)
      return {
        operation: 'CreateBucket',
        bucket: b,
        run: (world) => {
          if (world.buckets.has(b)) throw new SimError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
          world.buckets.set(b, new Map());
          return { status: 200, headers: { location: `/${b}` } };
        },
      };
    if (method === 'PUT')
      return { operation: `PutBucket${sub![0]!.toUpperCase()}${sub!.slice(1)}`, bucket: b, run: (world) => (bucketOf(world, b), { status: 200 }) };
    if (method === 'HEAD')
      return { operation: 'HeadBucket', bucket: b, run: (world) => (bucketOf(world, b), { status: 200, headers: { 'x-amz-bucket-region': world.region } }) };
    if (method === 'DELETE' && !sub)
      return {
        operation: 'DeleteBucket',
        bucket: b,
        run: (world) => {
          if (bucketOf(world, b).size) throw new SimError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
          world.buckets.delete(b);
          return { status: 204 };
        },
      };
    if (method === 'DELETE') return { operation: `DeleteBucket${sub![0]!.toUpperCase()}${sub!.slice(1)}`, bucket: b, run: (world) => (bucketOf(world, b), { status: 204 }) };
    if (method === 'GET' && sub === 'location')
      return {
        operation: 'GetBucketLocation',
        bucket: b,
        run: (world) => (bucketOf(world, b), { status: 200, headers: { 'content-type': 'application/xml' }, body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint>${world.region === 'us-east-1' ? '' : world.region}</LocationConstraint>` }),
      };
    if (method === 'GET')
      return {
        operation: 'ListObjectsV2',
        bucket: b,
        run: (world) => {
          const prefix = query.get('prefix') ?? '';
          const keys = [...bucketOf(world, b).entries()].filter(([k]) => k.startsWith(prefix)).sort(([x], [y]) => x.localeCompare(y));
          return {
            status: 200,
            headers: { 'content-type': 'application/xml' },
            body: `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult><Name>${esc(b)}</Name><Prefix>${esc(prefix)}</Prefix><KeyCount>${keys.length}</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated>${keys
              .map(([k, o]) => `<Contents><Key>${esc(k)}</Key><LastModified>${new Date(o.lastModified).toISOString()}</LastModified><ETag>${o.etag}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`)
              .join('')}</ListBucketResult>`,
          };
        },
      };
  }
  const k = key ?? '';
  const noKey = (): SimError => new SimError('NoSuchKey', 'The specified key does not exist.', 404);
  if (method === 'PUT' && b.startsWith('cloudformation-waitcondition-'))
    return {
      // a presigned wait condition handle URL: CloudFormation reads the JSON signal
      operation: 'SignalWaitCondition',
      bucket: b,
      key: k,
      run: (world) => {
        let signal: Record<string, unknown>;
        try {
          signal = JSON.parse(body().toString('utf8')) as Record<string, unknown>;
        } catch {
          throw new SimError('InvalidRequest', 'The wait condition signal is not JSON.', 400);
        }
        const status = String(signal.Status ?? '');
        if (status !== 'SUCCESS' && status !== 'FAILURE') throw new SimError('InvalidRequest', 'Status must be SUCCESS or FAILURE.', 400);
        const list = world.waitSignals.get(k) ?? [];
        list.push({ status, reason: String(signal.Reason ?? ''), uniqueId: String(signal.UniqueId ?? ''), data: String(signal.Data ?? '') });
        world.waitSignals.set(k, list);
        world.waitListeners.get(k)?.();
        return { status: 200 };
      },
    };
  if (method === 'PUT')
    return {
      operation: 'PutObject',
      bucket: b,
      key: k,
      run: (world) => {
        const data = body();
        const etag = `"${createHash('md5').update(data).digest('hex')}"`;
        bucketOf(world, b).set(k, { body: data, etag, lastModified: world.now(), contentType: headers['content-type'] as string | undefined });
        return { status: 200, headers: { etag } };
      },
    };
  if (method === 'GET' || method === 'HEAD')
    return {
      operation: method === 'GET' ? 'GetObject' : 'HeadObject',
      bucket: b,
      key: k,
      run: (world) => {
        const o = bucketOf(world, b).get(k);
        if (!o) throw noKey();
        return {
          status: 200,
          headers: { etag: o.etag, 'content-type': o.contentType ?? 'application/octet-stream', 'content-length': String(o.body.length), 'last-modified': new Date(o.lastModified).toUTCString() },
          body: method === 'GET' ? o.body : undefined,
        };
      },
    };
  if (method === 'DELETE')
    return {
      operation: 'DeleteObject',
      bucket: b,
      key: k,
      run: (world) => {
        bucketOf(world, b).delete(k);
        return { status: 204 };
      },
    };
  return { operation: 'Unknown', run: () => { throw new SimError('NotImplemented', `${method} ${path} is not simulated`, 501); } };
}
