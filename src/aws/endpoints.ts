/**
 * The published endpoints after a deployment: the listeners of the template, with the load
 * balancer's DNS name from the stack outputs (no ELB call) or, for an external load balancer,
 * from DescribeLoadBalancers. Best effort: a failed lookup is a warning, never a failed `up`.
 */
import { DescribeStackResourceCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { ConvertedTemplate } from './deploy.js';
import type { Ctx } from './operation.js';
import { dnsOutputs, endpointUrl, listenersOf } from './template-facts.js';

export async function endpoints(ctx: Ctx, stackId: string, converted: ConvertedTemplate, parameters: Record<string, string>): Promise<string[]> {
  const listeners = listenersOf(converted.template, parameters).filter((l) => !l.redirect);
  if (listeners.length === 0) return [];
  try {
    // the converter outputs the DNS name (`Fn::GetAtt [LoadBalancer, DNSName]`): no ELB call needed then
    const dnsOfLogical = new Map<string, string>();
    const outputsByName = dnsOutputs(converted.template);
    if (outputsByName.size > 0) {
      const res = await ctx.cfn.send(new DescribeStacksCommand({ StackName: stackId }));
      for (const o of res.Stacks?.[0]?.Outputs ?? []) {
        const lb = o.OutputKey ? outputsByName.get(o.OutputKey) : undefined;
        if (lb && o.OutputValue) dnsOfLogical.set(lb, o.OutputValue);
      }
    }
    const fromOutputs = listeners.map((l) => ('logicalId' in l.loadBalancer ? dnsOfLogical.get(l.loadBalancer.logicalId) : undefined));
    if (fromOutputs.every((dns) => dns !== undefined)) {
      return listeners.map((l, i) => endpointUrl(fromOutputs[i]!, l.port, l.protocol));
    }
    const arns = new Map<string, string>();
    for (const l of listeners) {
      if ('arn' in l.loadBalancer) continue;
      const id = l.loadBalancer.logicalId;
      if (arns.has(id)) continue;
      const res = await ctx.cfn.send(new DescribeStackResourceCommand({ StackName: stackId, LogicalResourceId: id }));
      const arn = res.StackResourceDetail?.PhysicalResourceId;
      if (arn) arns.set(id, arn);
    }
    const wanted = [...new Set(listeners.map((l) => ('arn' in l.loadBalancer ? l.loadBalancer.arn : arns.get(l.loadBalancer.logicalId))))].filter(
      (a): a is string => !!a,
    );
    if (wanted.length === 0) return [];
    const { DescribeLoadBalancersCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
    const res = await (await ctx.clients.elbv2()).send(new DescribeLoadBalancersCommand({ LoadBalancerArns: wanted }));
    const dns = new Map((res.LoadBalancers ?? []).map((lb) => [lb.LoadBalancerArn!, lb.DNSName!]));
    return listeners
      .map((l) => {
        const arn = 'arn' in l.loadBalancer ? l.loadBalancer.arn : arns.get(l.loadBalancer.logicalId);
        const name = arn ? dns.get(arn) : undefined;
        return name ? endpointUrl(name, l.port, l.protocol) : undefined;
      })
      .filter((u): u is string => !!u);
  } catch (e) {
    ctx.emit({ kind: 'notice', level: 'warning', message: `Could not read the load balancer's address: ${(e as Error).message}` });
    return [];
  }
}
