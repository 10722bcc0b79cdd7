import { expect } from 'chai';
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketLifecycleConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { needsS3, templateObjectUrl, uploadTemplate } from '../../src/aws/s3-template.js';
import { awsError, mockedClients } from './helpers.js';

describe('templates through S3', () => {
  it('is needed only above 51,200 bytes', () => {
    expect(needsS3('x'.repeat(51_200))).to.equal(false);
    expect(needsS3('x'.repeat(51_201))).to.equal(true);
    expect(needsS3('é'.repeat(25_601))).to.equal(true); // bytes, not characters
  });

  it('creates our bucket the first time, in the region, with an expiry rule', async () => {
    const m = mockedClients();
    m.s3.on(HeadBucketCommand).rejects(Object.assign(awsError('NotFound'), { $metadata: { httpStatusCode: 404 } }));
    m.s3.on(CreateBucketCommand).resolves({});
    m.s3.on(PutBucketLifecycleConfigurationCommand).resolves({});
    m.s3.on(PutObjectCommand).resolves({});
    const up = await uploadTemplate(await m.clients.s3(), { accountId: '123456789012', region: 'eu-west-1', stackName: 'demo', body: '{}', id: 'x1' });
    expect(m.s3.commandCalls(CreateBucketCommand)[0]!.args[0].input).to.deep.equal({
      Bucket: 'docker-ecs-templates-123456789012-eu-west-1',
      CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' },
    });
    expect(m.s3.commandCalls(PutBucketLifecycleConfigurationCommand)).to.have.length(1);
    expect(up.source).to.deep.equal({ url: 'https://docker-ecs-templates-123456789012-eu-west-1.s3.eu-west-1.amazonaws.com/demo/x1.json' });
  });

  it('points CloudFormation at the overridden S3 endpoint, path style', () => {
    expect(templateObjectUrl('b', 'k.json', 'us-east-1', { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566/' })).to.equal('http://127.0.0.1:4566/b/k.json');
    expect(templateObjectUrl('b', 'k.json', 'cn-north-1', {})).to.equal('https://b.s3.cn-north-1.amazonaws.com.cn/k.json');
  });
});
