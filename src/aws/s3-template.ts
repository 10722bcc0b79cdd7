/**
 * Templates over CloudFormation's 51,200-byte TemplateBody limit go through S3: one bucket of
 * ours per account and region, created the first time it is needed and kept (unlike the old
 * integration, which created and deleted a bucket on every deploy). Each upload is deleted once
 * CloudFormation has read it; a lifecycle rule expires what an interrupted run leaves behind.
 */
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { endpointOverride } from './clients.js';
import type { TemplateSource } from './change-set.js';

export const TEMPLATE_BODY_LIMIT = 51_200;

export function needsS3(body: string): boolean {
  return Buffer.byteLength(body, 'utf8') > TEMPLATE_BODY_LIMIT;
}

export function templateBucketName(accountId: string, region: string): string {
  return `docker-ecs-templates-${accountId}-${region}`;
}

/** The URL CloudFormation reads the object from. */
export function templateObjectUrl(bucket: string, key: string, region: string, env: NodeJS.ProcessEnv = process.env): string {
  const endpoint = endpointOverride('S3', env);
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}/${key}`;
  const suffix = region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://${bucket}.s3.${region}.${suffix}/${key}`;
}

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchBucket' || err?.$metadata?.httpStatusCode === 404;
}

async function ensureBucket(s3: S3Client, bucket: string, accountId: string, region: string): Promise<void> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket, ExpectedBucketOwner: accountId }));
    return;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as never } }),
      }),
    );
  } catch (e) {
    // a concurrent run created it first
    if ((e as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw e;
  }
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      ExpectedBucketOwner: accountId,
      LifecycleConfiguration: {
        Rules: [{ ID: 'expire-templates', Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 1 } }],
      },
    }),
  );
}

export interface UploadedTemplate {
  source: TemplateSource;
  /** removes the object; never throws */
  remove(): Promise<void>;
}

export async function uploadTemplate(
  s3: S3Client,
  o: { accountId: string; region: string; stackName: string; body: string; id: string },
): Promise<UploadedTemplate> {
  const bucket = templateBucketName(o.accountId, o.region);
  await ensureBucket(s3, bucket, o.accountId, o.region);
  const key = `${o.stackName}/${o.id}.json`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: o.body,
      ContentType: 'application/json',
      ExpectedBucketOwner: o.accountId,
    }),
  );
  return {
    source: { url: templateObjectUrl(bucket, key, o.region) },
    remove: async () => {
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, ExpectedBucketOwner: o.accountId })).catch(() => undefined);
    },
  };
}
