import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { createAwsClients, isThrottling } from '../../src/aws/clients.js';

describe('AWS clients', () => {
  it('creates each client once, on first use, in the target region with standard retries', async () => {
    const clients = createAwsClients({ region: 'eu-west-3' }, { AWS_ACCESS_KEY_ID: 'x' });
    const a = await clients.cloudFormation();
    expect(await clients.cloudFormation()).to.equal(a);
    expect(await a.config.region()).to.equal('eu-west-3');
    expect(await a.config.maxAttempts()).to.equal(5);
  });

  it('sends requests to AWS_ENDPOINT_URL, which the SDK honours by itself', async () => {
    const hosts: string[] = [];
    const server = http.createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      res.statusCode = 400;
      res.setHeader('content-type', 'text/xml');
      res.end('<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id x does not exist</Message></Error></ErrorResponse>');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const saved = { ...process.env };
    process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${port}`;
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    try {
      const cfn = await createAwsClients({ region: 'eu-west-1', credentialsFromEnv: true }).cloudFormation();
      const err = await cfn.send(new DescribeStacksCommand({ StackName: 'x' })).catch((e) => e);
      expect((err as Error).name).to.equal('ValidationError');
      expect(hosts).to.deep.equal([`127.0.0.1:${port}`]);
    } finally {
      process.env = saved;
      server.close();
    }
  });

  it('recognises throttling errors by name and by status 429', () => {
    expect(isThrottling(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))).to.equal(true);
    expect(isThrottling({ name: 'Whatever', $metadata: { httpStatusCode: 429 } })).to.equal(true);
    expect(isThrottling(Object.assign(new Error('no'), { name: 'ValidationError' }))).to.equal(false);
  });
});
