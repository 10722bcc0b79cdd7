/**
 * The VPC and subnets are template Parameters, so `convert` needs no AWS lookup (design 4.1).
 * Defaults come from `x-aws-vpc` / `x-aws-subnets` when the file sets them, else from the
 * environment `up` looked up; without either, the parameter has no default and `up` passes it.
 */
import type { Parameter } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { X_AWS_LOADBALANCER, X_AWS_SUBNETS, X_AWS_VPC } from './extensions.js';
import { idFromArn, readString, readStringList } from './extension-values.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { imageParameters } from './image-builds.js';

export function convertParameters(ctx: ConvertContext): Fragment {
  const ext = ctx.project.extensions;
  const vpcValue = readString(ext, X_AWS_VPC, '');
  const vpc: Parameter = {
    Type: 'AWS::EC2::VPC::Id',
    Description: 'VPC the services run in (x-aws-vpc, or the default VPC looked up by up)',
  };
  const vpcDefault = vpcValue !== undefined ? idFromArn(vpcValue) : ctx.environment.vpcId;
  if (vpcDefault !== undefined) vpc.Default = vpcDefault;

  // the load balancer the stack creates takes these subnets unless up chose public ones for it
  const lbSubnets = ctx.loadBalancerSubnets as { Ref?: unknown };
  const sharedWithLoadBalancer = ctx.loadBalancer !== undefined && !ctx.loadBalancer.external && lbSubnets.Ref === naming.SUBNETS_PARAMETER;
  const subnets: Parameter = {
    Type: 'List<AWS::EC2::Subnet::Id>',
    Description: sharedWithLoadBalancer
      ? 'Subnets for the tasks and the load balancer, in at least two availability zones (x-aws-subnets, or looked up by up)'
      : 'Subnets for the tasks (x-aws-subnets, or looked up by up)',
  };
  // with the routes looked up, `up` chose the task subnets among x-aws-subnets (the private ones of
  // a public + private list: subnets.ts); otherwise x-aws-subnets as written
  const chosen = ctx.environment.subnets?.length ? ctx.environment.subnetIds : undefined;
  const subnetDefault = chosen ?? readStringList(ext, X_AWS_SUBNETS, '') ?? ctx.environment.subnetIds;
  if (subnetDefault !== undefined && subnetDefault.length > 0) subnets.Default = subnetDefault.map(idFromArn).join(',');

  const parameters: Record<string, Parameter> = { [naming.VPC_PARAMETER]: vpc, [naming.SUBNETS_PARAMETER]: subnets };
  if (ctx.loadBalancer?.external) {
    const group: Parameter = {
      Type: 'AWS::EC2::SecurityGroup::Id',
      Description: `Security group of the existing load balancer (${X_AWS_LOADBALANCER}); tasks accept its traffic`,
    };
    if (ctx.environment.loadBalancerSecurityGroupId) group.Default = ctx.environment.loadBalancerSecurityGroupId;
    parameters[naming.LOAD_BALANCER_SECURITY_GROUP_PARAMETER] = group;
  }
  // a built service's image: filled by up with the pushed image (image-builds.ts)
  Object.assign(parameters, imageParameters(ctx.project));
  return { parameters };
}
