import { CreateStackCommand, DescribeStackEventsCommand, DescribeStacksCommand, ListStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeAvailabilityZonesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeClustersCommand } from '@aws-sdk/client-ecs';
import { DescribeFileSystemsCommand, DescribeMountTargetsCommand } from '@aws-sdk/client-efs';
import { CreateBucketCommand, GetObjectCommand, HeadBucketCommand, PutObjectCommand, DeleteObjectCommand, PutPublicAccessBlockCommand } from '@aws-sdk/client-s3';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
} from '@aws-sdk/client-secrets-manager';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { spawnSimulator } from './child.js';
import { simulatorPerTest } from './simulator-per-test.js';
import { appTemplate, clients } from './support.js';

describe('simulator: faults, scenarios and the other services', function () {
  const fixture = simulatorPerTest();


  it('throttles chosen operations; the SDK retries and succeeds; every call is recorded', async () => {
    fixture.sim.setScenario({ throttle: [{ operation: 'DescribeStacks', first: 2 }, { service: 'ecs', operation: 'DescribeClusters', first: 1 }] });
    const err = await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'nope' })).catch((e: Error) => e);
    expect(err).to.have.property('name', 'ValidationError'); // the third attempt got through
    const calls = fixture.sim.callsTo('DescribeStacks', 'cloudformation');
    expect(calls.map((c) => c.fault ?? c.error)).to.deep.equal(['throttle', 'throttle', 'ValidationError']);
    expect(calls.map((c) => c.status)).to.deep.equal([400, 400, 400]);
    expect(calls[0]!.params).to.deep.equal({ StackName: 'nope' });
    const ecs = await fixture.aws.ecs.send(new DescribeClustersCommand({ clusters: ['x'] }));
    expect(ecs.$metadata.attempts).to.equal(2);
    expect(fixture.sim.callsTo('DescribeClusters').map((c) => c.error)).to.deep.equal(['ThrottlingException', undefined]);
  });

  it('throttles past a rate per second', async () => {
    fixture.sim.setScenario({ throttle: [{ operation: 'GetCallerIdentity', ratePerSecond: 2 }] });
    const sts = clients(fixture.sim.url, { maxAttempts: 1 }).sts;
    const results = await Promise.all([1, 2, 3, 4].map(() => sts.send(new GetCallerIdentityCommand({})).then(() => 'ok', (e: Error) => e.name)));
    expect(results.filter((r) => r === 'ok')).to.have.length(2);
    expect(results.filter((r) => r === 'Throttling')).to.have.length(2);
  });

  it('answers 500s and drops connections; the SDK retries both', async () => {
    fixture.sim.setScenario({ serverErrors: [{ operation: 'GetCallerIdentity', first: 1 }], dropConnections: [{ operation: 'DescribeVpcs', first: 1 }] });
    const id = await fixture.aws.sts.send(new GetCallerIdentityCommand({}));
    expect(id).to.include({ Account: '123456789012', UserId: 'AKIDSIM' });
    expect(fixture.sim.callsTo('GetCallerIdentity').map((c) => c.status)).to.deep.equal([500, 200]);
    const vpcs = await fixture.aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }));
    expect(vpcs.Vpcs![0]).to.include({ IsDefault: true, VpcId: 'vpc-0d3fa017e5c1a1000' });
    expect(fixture.sim.callsTo('DescribeVpcs').map((c) => c.fault ?? c.status)).to.deep.equal(['drop', 200]);
    expect(fixture.sim.callsTo('DescribeVpcs')[1]!.params).to.deep.equal({ Filter: [{ Name: 'isDefault', Value: ['true'] }] });
  });

  it('has a default VPC with subnets in 3 AZs and a default security group (EC2 query dialect)', async () => {
    const vpc = (await fixture.aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }))).Vpcs![0]!;
    const subnets = (await fixture.aws.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'default-for-az', Values: ['true'] }] }))).Subnets!;
    expect(subnets.map((s) => s.AvailabilityZone)).to.deep.equal(['us-east-1a', 'us-east-1b', 'us-east-1c']);
    expect(subnets[0]).to.include({ DefaultForAz: true, VpcId: vpc.VpcId });
    // the only other VPC is the simulator's public + private one (README, EC2)
    const others = (await fixture.aws.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['false'] }] }))).Vpcs!;
    expect(others.map((v) => v.VpcId)).to.deep.equal(['vpc-0e1f2a3b4c5d60001']);
    const sgs = (await fixture.aws.ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }))).SecurityGroups!;
    expect(sgs[0]).to.include({ GroupName: 'default' });
    const azs = (await fixture.aws.ec2.send(new DescribeAvailabilityZonesCommand({}))).AvailabilityZones!;
    expect(azs).to.have.length(3);
    const bad = await fixture.aws.ec2.send(new DescribeVpcsCommand({ VpcIds: ['vpc-nope'] })).catch((e: Error) => e);
    expect(bad).to.include({ name: 'InvalidVpcID.NotFound', message: "The vpc ID 'vpc-nope' does not exist" });
  });

  it('keeps secrets (Secrets Manager JSON 1.1)', async () => {
    const created = await fixture.aws.secrets.send(new CreateSecretCommand({ Name: 'demo/db', SecretString: 'pw1', Tags: [{ Key: 'project', Value: 'demo' }] }));
    expect(created.ARN).to.match(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:demo\/db-[a-z0-9]{6}$/);
    await fixture.aws.secrets.send(new PutSecretValueCommand({ SecretId: 'demo/db', SecretString: 'pw2' }));
    expect((await fixture.aws.secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }))).SecretString).to.equal('pw2');
    const d = await fixture.aws.secrets.send(new DescribeSecretCommand({ SecretId: 'demo/db' }));
    expect(d.Tags).to.deep.equal([{ Key: 'project', Value: 'demo' }]);
    expect(d.CreatedDate).to.be.instanceOf(Date);
    const dup = await fixture.aws.secrets.send(new CreateSecretCommand({ Name: 'demo/db', SecretString: 'x' })).catch((e: Error) => e);
    expect(dup).to.include({ name: 'ResourceExistsException', message: 'The operation failed because the secret demo/db already exists.' });
    const list = await fixture.aws.secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'tag-key', Values: ['project'] }] }));
    expect(list.SecretList!.map((s) => s.Name)).to.deep.equal(['demo/db']);
    await fixture.aws.secrets.send(new DeleteSecretCommand({ SecretId: 'demo/db', ForceDeleteWithoutRecovery: true }));
    const gone = await fixture.aws.secrets.send(new GetSecretValueCommand({ SecretId: 'demo/db' })).catch((e: Error) => e);
    expect(gone).to.include({ name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." });
  });

  it('stores objects in S3 (REST-XML) and reports missing keys', async () => {
    await fixture.aws.s3.send(new CreateBucketCommand({ Bucket: 'b1' }));
    await fixture.aws.s3.send(new PutPublicAccessBlockCommand({ Bucket: 'b1', PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    await fixture.aws.s3.send(new HeadBucketCommand({ Bucket: 'b1' }));
    await fixture.aws.s3.send(new PutObjectCommand({ Bucket: 'b1', Key: 'a/b.json', Body: '{"x":1}' }));
    const got = await fixture.aws.s3.send(new GetObjectCommand({ Bucket: 'b1', Key: 'a/b.json' }));
    expect(await got.Body!.transformToString()).to.equal('{"x":1}');
    await fixture.aws.s3.send(new DeleteObjectCommand({ Bucket: 'b1', Key: 'a/b.json' }));
    const missing = await fixture.aws.s3.send(new GetObjectCommand({ Bucket: 'b1', Key: 'a/b.json' })).catch((e: Error) => e);
    expect(missing).to.have.property('name', 'NoSuchKey');
    const noBucket = await fixture.aws.s3.send(new HeadBucketCommand({ Bucket: 'nope' })).catch((e: Error) => e);
    expect(noBucket).to.have.property('name', 'NotFound');
    expect(fixture.sim.calls.filter((c) => c.service === 's3').map((c) => c.operation)).to.deep.equal([
      'CreateBucket',
      'PutBucketPublicAccessBlock',
      'HeadBucket',
      'PutObject',
      'GetObject',
      'DeleteObject',
      'GetObject',
      'HeadBucket',
    ]);
  });

  it('seeds a stack left in ROLLBACK_COMPLETE and one busy in UPDATE_IN_PROGRESS that finishes later', async () => {
    fixture.sim.setScenario({
      stacks: [
        { name: 'broken', status: 'ROLLBACK_COMPLETE' },
        { name: 'busy', status: 'UPDATE_IN_PROGRESS', finishAfterMs: 20_000, template: appTemplate({ desired: 1 }) },
      ],
    });
    const broken = (await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'broken' }))).Stacks![0]!;
    expect(broken.StackStatus).to.equal('ROLLBACK_COMPLETE');
    const bEvents = (await fixture.aws.cfn.send(new DescribeStackEventsCommand({ StackName: 'broken' }))).StackEvents!;
    expect(bEvents.find((e) => e.ResourceStatus === 'CREATE_FAILED')!.ResourceStatusReason).to.match(/^Resource handler returned message:/);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'busy' }))).Stacks![0]!.StackStatus).to.equal('UPDATE_IN_PROGRESS');
    const refused = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'busy', TemplateBody: appTemplate() })).catch((e: Error) => e);
    expect(refused).to.have.property('name', 'AlreadyExistsException');
    fixture.run(21_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'busy' }))).Stacks![0]!.StackStatus).to.equal('UPDATE_COMPLETE');
  });

  it('lets someone else delete a stack mid-watch', async () => {
    fixture.sim.setScenario({ externalDeletes: [{ stack: 'demo', afterMs: 10_000 }] });
    const { StackId } = await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() }));
    fixture.run(9_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('CREATE_IN_PROGRESS');
    fixture.run(2_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('DELETE_IN_PROGRESS');
    fixture.run(120_000);
    const err = await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' })).catch((e: Error) => e);
    expect(err).to.have.property('message', 'Stack with id demo does not exist');
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: StackId }))).Stacks![0]!.StackStatus).to.equal('DELETE_COMPLETE');
    expect((await fixture.aws.cfn.send(new ListStacksCommand({}))).StackSummaries!.map((s) => s.StackStatus)).to.deep.equal(['DELETE_COMPLETE']);
  });

  it('makes slow stacks slower (slowFactor, durations)', async () => {
    fixture.sim.setScenario({ slowFactor: 3, durations: { 'AWS::Logs::LogGroup': 10_000 } });
    await fixture.aws.cfn.send(new CreateStackCommand({ StackName: 's', TemplateBody: JSON.stringify({ Resources: { L: { Type: 'AWS::Logs::LogGroup' } } }) }));
    fixture.run(29_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 's' }))).Stacks![0]!.StackStatus).to.equal('CREATE_IN_PROGRESS');
    fixture.run(3_000);
    expect((await fixture.aws.cfn.send(new DescribeStacksCommand({ StackName: 's' }))).Stacks![0]!.StackStatus).to.equal('CREATE_COMPLETE');
  });

  it('answers EFS lookups (REST-JSON), with seeded file systems, and its errors', async () => {
    fixture.sim.setScenario({ fileSystems: [{ id: 'fs-0123456789abcdef0', tags: { 'com.docker.compose.project': 'demo' } }] });
    const fs = (await fixture.aws.efs.send(new DescribeFileSystemsCommand({}))).FileSystems!;
    expect(fs.map((f) => [f.FileSystemId, f.Tags, f.LifeCycleState])).to.deep.equal([['fs-0123456789abcdef0', [{ Key: 'com.docker.compose.project', Value: 'demo' }], 'available']]);
    expect(fs[0]!.CreationTime).to.be.instanceOf(Date);
    const err = await fixture.aws.efs.send(new DescribeMountTargetsCommand({ FileSystemId: 'fs-nope' })).catch((e: Error) => e);
    expect(err).to.have.property('name', 'FileSystemNotFound');
  });

  it('runs in a child process with a scenario; its control API gives the calls and sets the scenario', async function () {
    this.timeout(15_000);
    const child = await spawnSimulator({ scenario: { stacks: [{ name: 'old', status: 'ROLLBACK_COMPLETE' }] }, speed: 50 });
    try {
      const remote = clients(child.url);
      const s = (await remote.cfn.send(new DescribeStacksCommand({ StackName: 'old' }))).Stacks![0]!;
      expect(s.StackStatus).to.equal('ROLLBACK_COMPLETE');
      await child.setScenario({ throttle: [{ operation: 'GetCallerIdentity', first: 1 }] });
      await remote.sts.send(new GetCallerIdentityCommand({}));
      const calls = await child.calls();
      expect(calls.map((c) => `${c.operation}:${c.fault ?? c.status}`)).to.deep.equal(['DescribeStacks:200', 'GetCallerIdentity:throttle', 'GetCallerIdentity:200']);
      expect((await child.stacks()).map((x) => [x.name, x.status])).to.deep.equal([['old', 'ROLLBACK_COMPLETE']]);
    } finally {
      await child.stop();
    }
    expect(child.process.exitCode).to.equal(0);
  });

  it('runs standalone: prints AWS_ENDPOINT_URL first and stops on SIGTERM', async function () {
    this.timeout(15_000);
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/sim/main.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const first = await new Promise<string>((resolve, reject) => {
      const rl = createInterface({ input: child.stdout! });
      rl.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    expect(first).to.match(/^AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:\d+$/);
    const url = first.split('=')[1]!;
    const id = await clients(url).sts.send(new GetCallerIdentityCommand({}));
    expect(id.Account).to.equal('123456789012');
    const code = await new Promise<number | null>((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGTERM');
    });
    expect(code).to.equal(0);
  });
});
