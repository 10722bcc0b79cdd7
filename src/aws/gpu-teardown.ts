/**
 * `down` of a project with GPU services: its EC2 Auto Scaling group is emptied before the stack is
 * deleted.
 *
 * CloudFormation deletes in reverse dependency order: the services, the capacity provider
 * association, the capacity provider, the Auto Scaling group, the launch template, then the
 * cluster (the launch template's user data refers to it, so the cluster goes last). The group's
 * delete terminates its instances, but a container instance leaves the cluster only some time
 * after its EC2 instance terminates, and ECS refuses to delete a cluster while container instances
 * are registered ("The Cluster cannot be deleted while Container Instances are active or
 * draining"): the delete fails at the last step (aws/containers-roadmap#631, aws/aws-cdk#18179).
 * AWS Support's workaround, quoted in containers-roadmap#631: set the group's min, max and desired
 * to 0 so the instances terminate and deregister, then delete the stack. MaxSize goes to 0 too:
 * with managed scaling, ECS would otherwise start an instance again for the GPU tasks that are
 * still wanted until CloudFormation deletes their services.
 *
 * Only groups that are resources of this stack are touched (ListStackResources of its stack id).
 */
import { ListStackResourcesCommand } from '@aws-sdk/client-cloudformation';
import type { Ctx } from './operation.js';
import { interrupted } from './operation.js';

/** How long `down` waits for the instances to leave before it deletes anyway (the delete may then fail, as before). */
export const EMPTY_GROUP_TIMEOUT_MS = 15 * 60_000;

interface StackCapacity {
  groups: string[];
  cluster?: string;
}

async function stackCapacity(ctx: Ctx, stackId: string): Promise<StackCapacity> {
  const out: StackCapacity = { groups: [] };
  let token: string | undefined;
  do {
    const page = await ctx.cfn.send(new ListStackResourcesCommand({ StackName: stackId, ...(token ? { NextToken: token } : {}) }));
    for (const r of page?.StackResourceSummaries ?? []) {
      if (!r.PhysicalResourceId || r.ResourceStatus === 'DELETE_COMPLETE') continue;
      if (r.ResourceType === 'AWS::AutoScaling::AutoScalingGroup') out.groups.push(r.PhysicalResourceId);
      else if (r.ResourceType === 'AWS::ECS::Cluster') out.cluster = r.PhysicalResourceId;
    }
    token = page?.NextToken;
  } while (token);
  return out;
}

/** Scales this stack's Auto Scaling groups to 0 and waits until their instances have left the cluster. */
export async function emptyGpuCapacity(ctx: Ctx, stackId: string): Promise<void> {
  const { groups, cluster } = await stackCapacity(ctx, stackId);
  if (groups.length === 0) return;
  const { UpdateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } = await import('@aws-sdk/client-auto-scaling');
  const asg = await ctx.clients.autoScaling();
  ctx.emit({
    kind: 'notice',
    level: 'info',
    message: `Scaling the GPU instances of stack ${ctx.stack} to 0 first (${groups.join(', ')}), so that the cluster is empty when CloudFormation deletes it.`,
  });
  for (const name of groups) {
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, MaxSize: 0, DesiredCapacity: 0 }));
  }
  const ecs = cluster ? await ctx.clients.ecs() : undefined;
  const { DescribeClustersCommand } = await import('@aws-sdk/client-ecs');
  const deadline = ctx.timing.now().getTime() + EMPTY_GROUP_TIMEOUT_MS;
  for (;;) {
    if (ctx.signal.aborted) {
      interrupted(ctx, `Stopped before the stack was deleted. The GPU instances of stack ${ctx.stack} are scaled to 0; run down again to delete it.`, stackId, 'delete');
    }
    const described = await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: groups }));
    const instances = (described?.AutoScalingGroups ?? []).reduce((n, g) => n + (g.Instances?.length ?? 0), 0);
    const registered = ecs && cluster ? ((await ecs.send(new DescribeClustersCommand({ clusters: [cluster] })))?.clusters?.[0]?.registeredContainerInstancesCount ?? 0) : 0;
    if (instances === 0 && registered === 0) return;
    if (ctx.timing.now().getTime() >= deadline) {
      ctx.emit({
        kind: 'notice',
        level: 'warning',
        message: `After ${EMPTY_GROUP_TIMEOUT_MS / 60_000} minutes, ${instances} GPU instance(s) still run and ${registered} container instance(s) are still registered in cluster ${cluster ?? '(unknown)'}; deleting the stack anyway.`,
      });
      return;
    }
    await ctx.timing.sleep(Math.max(ctx.interval.maxMs, 5000), ctx.signal);
  }
}
