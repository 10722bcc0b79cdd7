import { CloudFormationClient, CreateStackCommand, DeleteStackCommand, DescribeStacksCommand, UpdateStackCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { DescribeServicesCommand, ECSClient, ListClustersCommand, ListTasksCommand } from '@aws-sdk/client-ecs';
import { EFSClient, DescribeFileSystemsCommand } from '@aws-sdk/client-efs';
import { ElasticLoadBalancingV2Client, DescribeLoadBalancersCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { SecretsManagerClient, ListSecretsCommand } from '@aws-sdk/client-secrets-manager';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { expect } from 'chai';
import { simulatorPerTest } from './simulator-per-test.js';
import { appTemplate, clients } from './support.js';

describe('simulator: SDK configuration and stack replacement', function () {
  const fixture = simulatorPerTest();
  const saved = { ...process.env };

  afterEach(() => {
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_ENDPOINT_URL') && !(k in saved)) delete process.env[k];
  });

  it('is reached by every client through AWS_ENDPOINT_URL alone', async () => {
    process.env.AWS_ENDPOINT_URL = fixture.sim.url;
    const cfg = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' } };
    await new CloudFormationClient(cfg).send(new DescribeStacksCommand({}));
    await new EC2Client(cfg).send(new DescribeVpcsCommand({}));
    await new ECSClient(cfg).send(new ListClustersCommand({}));
    await new ElasticLoadBalancingV2Client(cfg).send(new DescribeLoadBalancersCommand({}));
    await new CloudWatchLogsClient({ ...cfg, disableHostPrefix: true }).send(new DescribeLogGroupsCommand({}));
    await new SecretsManagerClient(cfg).send(new ListSecretsCommand({}));
    const s3 = new S3Client(cfg);
    await s3.send(new CreateBucketCommand({ Bucket: 'templates' }));
    await s3.send(new PutObjectCommand({ Bucket: 'templates', Key: 'k', Body: 'x' }));
    await new STSClient(cfg).send(new GetCallerIdentityCommand({}));
    await new EFSClient(cfg).send(new DescribeFileSystemsCommand({}));
    expect(fixture.sim.calls.map((c) => `${c.service}:${c.operation}:${c.status}`)).to.deep.equal([
      'cloudformation:DescribeStacks:200',
      'ec2:DescribeVpcs:200',
      'ecs:ListClusters:200',
      'elasticloadbalancing:DescribeLoadBalancers:200',
      'logs:DescribeLogGroups:200',
      'secretsmanager:ListSecrets:200',
      's3:CreateBucket:200',
      's3:PutObject:200',
      'sts:GetCallerIdentity:200',
      'elasticfilesystem:DescribeFileSystems:200',
    ]);
    expect(fixture.sim.state.buckets.get('templates')!.get('k')!.body.toString()).to.equal('x');
  });

  it('prefers the service-specific AWS_ENDPOINT_URL_<SERVICE_ID> variable', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9'; // nothing listens there
    process.env.AWS_ENDPOINT_URL_CLOUDFORMATION = fixture.sim.url;
    process.env.AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2 = fixture.sim.url;
    const cfg = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDSIM', secretAccessKey: 'sim' } };
    await new CloudFormationClient(cfg).send(new DescribeStacksCommand({}));
    await new ElasticLoadBalancingV2Client(cfg).send(new DescribeLoadBalancersCommand({}));
    expect(fixture.sim.calls.map((c) => c.service)).to.deep.equal(['cloudformation', 'elasticloadbalancing']);
  });

  it('UpdateStack directly: "No updates are to be performed." and a ROLLBACK_COMPLETE stack replaced by delete + create', async () => {
    const aws = clients(fixture.sim.url);
    fixture.sim.setScenario({ stacks: [{ name: 'demo', status: 'ROLLBACK_COMPLETE' }] });
    const old = (await aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!;
    const refused = await aws.cfn.send(new UpdateStackCommand({ StackName: 'demo', TemplateBody: appTemplate() })).catch((e: Error) => e);
    expect(refused).to.have.property('message', `Stack:${old.StackId} is in ROLLBACK_COMPLETE state and can not be updated.`);
    await aws.cfn.send(new DeleteStackCommand({ StackName: 'demo' }));
    fixture.run(5_000);
    const { StackId } = await aws.cfn.send(new CreateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 3 }) }));
    expect(StackId).to.not.equal(old.StackId);
    fixture.run(120_000);
    expect((await aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('CREATE_COMPLETE');
    const same = await aws.cfn.send(new UpdateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 3 }) })).catch((e: Error) => e);
    expect(same).to.include({ name: 'ValidationError', message: 'No updates are to be performed.' });
    // ListTasks pages.
    const p1 = await aws.ecs.send(new ListTasksCommand({ cluster: 'demo', maxResults: 2 }));
    expect(p1.taskArns).to.have.length(2);
    const p2 = await aws.ecs.send(new ListTasksCommand({ cluster: 'demo', maxResults: 2, nextToken: p1.nextToken }));
    expect(p2.taskArns).to.have.length(1);
    expect(p2.nextToken).to.equal(undefined);
    // Scale down through an update: no new deployment, one task stopped.
    const before = [...p1.taskArns!, ...p2.taskArns!];
    await aws.cfn.send(new UpdateStackCommand({ StackName: 'demo', TemplateBody: appTemplate({ desired: 2 }) }));
    fixture.run(60_000);
    expect((await aws.cfn.send(new DescribeStacksCommand({ StackName: 'demo' }))).Stacks![0]!.StackStatus).to.equal('UPDATE_COMPLETE');
    const after = (await aws.ecs.send(new ListTasksCommand({ cluster: 'demo' }))).taskArns!;
    expect(after).to.have.length(2);
    expect(before).to.include.members(after);
    const svc = (await aws.ecs.send(new DescribeServicesCommand({ cluster: 'demo', services: ['web'] }))).services![0]!;
    expect(svc.deployments).to.have.length(1);
    expect(svc.events!.slice(0, 2).map((e) => e.message)).to.deep.equal(['(service web) has reached a steady state.', `(service web) has stopped 1 running tasks: (task ${before[2]!.split('/').pop()}).`]);
  });
});
