import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { ListClustersCommand } from '@aws-sdk/client-ecs';
import { expect } from 'chai';
import { startSimulator, type Simulator } from './server.js';
import { clients } from './support.js';

describe('simulator: credentials that expire after N calls', () => {
  let sim: Simulator;
  afterEach(async () => {
    await sim.stop();
  });

  it('answers ExpiredToken (query) / ExpiredTokenException (JSON) for the matching calls after the first N, and the SDK does not retry them', async () => {
    sim = await startSimulator({ scenario: { expiredCredentials: [{ service: 'cloudformation', operation: 'DescribeStacks', after: 2 }, { service: 'ecs', after: 0 }] } });
    const aws = clients(sim.url);
    await aws.cfn.send(new DescribeStacksCommand({}));
    await aws.cfn.send(new DescribeStacksCommand({}));
    const cfnErr = await aws.cfn.send(new DescribeStacksCommand({})).catch((e: Error) => e);
    expect(cfnErr).to.have.property('name', 'ExpiredToken');
    expect((cfnErr as Error).message).to.match(/security token included in the request is expired/);
    const ecsErr = await aws.ecs.send(new ListClustersCommand({})).catch((e: Error) => e);
    expect(ecsErr).to.have.property('name', 'ExpiredTokenException');
    await aws.ec2.send(new DescribeVpcsCommand({})); // other services are not touched
    expect(sim.calls.map((c) => `${c.operation}:${c.fault ?? c.status}`)).to.deep.equal([
      'DescribeStacks:200',
      'DescribeStacks:200',
      'DescribeStacks:expired',
      'ListClusters:expired',
      'DescribeVpcs:200',
    ]);
  });

  it('setScenario restarts the count', async () => {
    sim = await startSimulator({ scenario: { expiredCredentials: [{ operation: 'DescribeStacks', after: 1 }] } });
    const aws = clients(sim.url);
    await aws.cfn.send(new DescribeStacksCommand({}));
    expect(await aws.cfn.send(new DescribeStacksCommand({})).catch((e: Error) => e.name)).to.equal('ExpiredToken');
    sim.setScenario({ expiredCredentials: [{ operation: 'DescribeStacks', after: 1 }] });
    await aws.cfn.send(new DescribeStacksCommand({}));
  });
});
