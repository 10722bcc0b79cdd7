/**
 * Networks: one security group per (non-external) compose network, with the rule that lets its
 * members talk to each other on every port, as a compose network does. External networks, and
 * the deprecated `x-aws-securitygroup`, are existing security group ids.
 */
import { warning, type Diagnostic } from '../errors.js';
import { type Fragment } from './fragment.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { X_AWS_SECURITYGROUP } from './extensions.js';
import * as naming from './naming.js';
import { ref } from '../cloudformation/template.js';

/** Top-level network keys with no ECS meaning: warned once per network. */
const IGNORED_NETWORK_KEYS = ['driver_opts', 'ipam', 'internal', 'enable_ipv6', 'attachable', 'labels'] as const;

export function convertNetworks(ctx: ConvertContext): Fragment {
  const resources: NonNullable<Fragment['resources']> = {};
  const diagnostics: Diagnostic[] = [];
  for (const net of ctx.networks.values()) {
    const c = net.config;
    if (c.extensions[X_AWS_SECURITYGROUP] !== undefined) {
      diagnostics.push(warning(`Network ${net.key} uses the deprecated ${X_AWS_SECURITYGROUP}; write external: true and name: <security group id> instead.`, undefined, `networks.${net.key}.${X_AWS_SECURITYGROUP}`));
    }
    for (const key of IGNORED_NETWORK_KEYS) {
      if (c[key] !== undefined && c[key] !== false) {
        diagnostics.push(warning(`Network ${net.key}: ${key} is ignored; on ECS a network is a security group.`, undefined, `networks.${net.key}.${key}`));
      }
    }
    if (c.driver !== undefined && c.driver !== 'bridge' && c.driver !== 'overlay') {
      diagnostics.push(warning(`Network ${net.key}: driver ${c.driver} is ignored; on ECS a network is a security group.`, undefined, `networks.${net.key}.driver`));
    }
    if (net.external) continue;
    const group = naming.networkSecurityGroup(net.key);
    resources[group] = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${ctx.project.name} Security Group for ${net.key} network`,
        VpcId: ctx.vpc,
        Tags: [projectTag(ctx), { Key: naming.TAG_NETWORK, Value: net.name }],
      },
    };
    resources[naming.networkIngress(net.key)] = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: {
        Description: `Allow communication within network ${net.key}`,
        IpProtocol: '-1',
        GroupId: ref(group),
        SourceSecurityGroupId: ref(group),
      },
    };
  }
  return { resources, diagnostics };
}
