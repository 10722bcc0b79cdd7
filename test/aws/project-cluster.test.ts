/**
 * Which cluster the commands that act on a deployed project (run, stop, start, restart, scale,
 * ps) find: the stack's own, the one its services run on, else the one the template's metadata
 * names. A project of one-shot jobs only on `x-aws-cluster` has neither a Cluster resource nor an
 * ECS service, and `run migrate` must still find its cluster instead of saying nothing is deployed.
 */
import { expect } from 'chai';
import { GetTemplateSummaryCommand, ListStackResourcesCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { projectServices } from '../../src/aws/service-control.js';
import { UserError } from '../../src/errors.js';
import { mockedClients } from './helpers.js';

const TASK_DEFINITION = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/demo-migrate:3';
const jobsOnly: { StackResourceSummaries: StackResourceSummary[] } = {
  StackResourceSummaries: [
    { LogicalResourceId: 'MigrateTaskDefinition', PhysicalResourceId: TASK_DEFINITION, ResourceType: 'AWS::ECS::TaskDefinition', ResourceStatus: 'CREATE_COMPLETE', LastUpdatedTimestamp: new Date() },
  ],
};

describe('the cluster of a deployed project', () => {
  it('is the one the template metadata names for a project of one-shot jobs only on x-aws-cluster', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).resolves(jobsOnly);
    m.cfn.on(GetTemplateSummaryCommand).resolves({ Metadata: JSON.stringify({ Cluster: 'shared' }) });
    const found = await projectServices(m.clients, 'demo');
    expect(found.cluster).to.equal('shared');
    expect(found.services).to.deep.equal([]);
  });

  it('is refused with one sentence when the stack names none, not as a missing stack', async () => {
    const m = mockedClients();
    m.cfn.on(ListStackResourcesCommand).resolves(jobsOnly);
    m.cfn.on(GetTemplateSummaryCommand).resolves({});
    const failure = await projectServices(m.clients, 'demo').catch((e: unknown) => e);
    expect(failure).to.be.instanceOf(UserError);
    expect((failure as Error).message).to.equal(
      "Stack demo names no ECS cluster (no Cluster resource, and none in its services' ARNs or template metadata); check that it was deployed by docker ecs.",
    );
  });
});
