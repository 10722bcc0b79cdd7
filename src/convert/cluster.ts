/** The ECS cluster: one per project, unless `x-aws-cluster` names an existing one; its capacity providers (capacity.ts). */
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import type { Fragment } from './fragment.js';
import * as naming from './naming.js';
import { convertCapacityProviders } from './capacity.js';

export function convertCluster(ctx: ConvertContext): Fragment {
  const capacity = convertCapacityProviders(ctx);
  if (ctx.cluster.external) {
    // the old integration recorded the reused cluster here; `ps`/`logs` read it back
    return { metadata: { Cluster: ctx.cluster.arn }, ...capacity };
  }
  return {
    ...capacity,
    resources: {
      ...capacity.resources,
      [naming.CLUSTER]: {
        Type: 'AWS::ECS::Cluster',
        Properties: { ClusterName: ctx.project.name, Tags: [projectTag(ctx)] },
      },
    },
  };
}
