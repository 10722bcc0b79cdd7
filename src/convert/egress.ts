/**
 * Internet egress of the tasks: their public IP, and what a task without a route to the internet
 * cannot pull.
 *
 * A Fargate task reaches the internet (registries, and the ECS, ECR, S3 and CloudWatch Logs
 * endpoints) through a public IP in a subnet that routes 0.0.0.0/0 to an internet gateway, or
 * through a NAT route; a public IP in a subnet without an internet gateway route does nothing.
 * So tasks get `AssignPublicIp: ENABLED` only when every task subnet routes to an internet
 * gateway (the routes `up` read, Environment.subnets); `x-aws-public_ip: true|false` on the
 * service decides otherwise. Offline (no routes known) they get one, as before: the default VPC's
 * subnets are public.
 *
 * A service whose tasks land in a subnet without egress, and whose task definition names an image
 * outside the region's private ECR (Docker Hub, ECR Public: the init container's BusyBox too, for
 * which no VPC endpoint exists), gets a warning that says what it needs.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import type { Template } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import type { SubnetFact } from './environment.js';
import { X_AWS_INIT_IMAGE, X_AWS_PUBLIC_IP } from './extensions.js';
import { initImageOf } from './init-image.js';
import * as naming from './naming.js';

/** x-aws-public_ip: true / false (or the strings), else undefined. */
function publicIpOverride(service: ServiceConfig): boolean | undefined {
  const v = service.extensions?.[X_AWS_PUBLIC_IP];
  if (v === undefined || v === null) return undefined;
  if (v === true || v === 'true') return true;
  if (v === false || v === 'false') return false;
  const o = service.origin.entries?.[X_AWS_PUBLIC_IP] ?? service.origin;
  throw new UserError(`Service ${service.name}: ${X_AWS_PUBLIC_IP} must be true or false, got ${JSON.stringify(v)}.`, {
    where: { file: o.file, line: o.line, path: `services.${service.name}.${X_AWS_PUBLIC_IP}` },
  });
}

/** The facts of the task subnets, when `up` read the routes. */
function taskSubnetFacts(ctx: ConvertContext): SubnetFact[] | undefined {
  const facts = ctx.environment.subnets;
  const ids = ctx.environment.subnetIds;
  if (!facts?.length || !ids?.length) return undefined;
  const byId = new Map(facts.map((f) => [f.id, f]));
  const known = ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  return known.length === ids.length ? known : undefined;
}

/** AssignPublicIp of a Fargate service or job. */
export function assignPublicIp(ctx: ConvertContext, service: ServiceConfig): 'ENABLED' | 'DISABLED' {
  const override = publicIpOverride(service);
  if (override !== undefined) return override ? 'ENABLED' : 'DISABLED';
  const subnets = taskSubnetFacts(ctx);
  if (!subnets) return 'ENABLED';
  return subnets.every((s) => s.egress === 'internet-gateway') ? 'ENABLED' : 'DISABLED';
}

/** An image in the private ECR of some account (reachable through the ECR VPC endpoints). */
function isPrivateEcr(image: string): boolean {
  return /^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//.test(image);
}

function images(template: Template, service: string): string[] {
  const td = template.Resources[naming.taskDefinition(service)];
  const containers = (td?.Properties?.ContainerDefinitions ?? []) as Array<{ Image?: unknown }>;
  return [...new Set(containers.map((c) => c.Image).filter((i): i is string => typeof i === 'string'))].sort();
}

/** The warnings about images a service without internet egress cannot pull, over the final template. */
export function egressDiagnostics(ctx: ConvertContext, template: Template): Diagnostic[] {
  const subnets = taskSubnetFacts(ctx);
  const out: Diagnostic[] = [];
  for (const service of ctx.services) {
    const gpu = ctx.gpuServices.has(service.name);
    let publicIp: boolean;
    try {
      publicIp = gpu || assignPublicIp(ctx, service) === 'ENABLED';
    } catch {
      continue; // the bad value is reported by the service's own step
    }
    if (gpu && publicIpOverride(service) !== undefined) {
      out.push(warning(`Service ${service.name}: ${X_AWS_PUBLIC_IP} is ignored: it reserves GPUs and runs on EC2, where an awsvpc task cannot have a public IP (its instance has one).`, service.name, X_AWS_PUBLIC_IP));
    }
    if (!subnets) continue;
    const blocked = subnets.filter((s) => !(s.egress === 'nat' || (s.egress === 'internet-gateway' && publicIp)));
    if (blocked.length === 0) continue;
    const pulls = images(template, service.name).filter((i) => !isPrivateEcr(i));
    if (pulls.length === 0) continue;
    const init = initImageOf(ctx.project);
    const why = blocked
      .map((s) => `${s.id}: ${s.egress === 'internet-gateway' ? 'an internet gateway, but the tasks get no public IP' : 'no NAT gateway or internet gateway route'}`)
      .join('; ');
    const named = pulls.map((i) => (i === init ? `${i} (its init container)` : i)).join(', ');
    out.push(
      warning(
        `Service ${service.name} runs in subnets without a route to the internet (${why}), so its tasks cannot pull ${named}: add a NAT gateway route (0.0.0.0/0) to those subnets, or keep the images in private ECR (an ECR pull-through cache copies public ones) with VPC endpoints for ECR (api and dkr), S3 and CloudWatch Logs${pulls.includes(init) ? `, and name the init container's copy with ${X_AWS_INIT_IMAGE} (ECR Public has no VPC endpoint)` : ''}.`,
        service.name,
        'image',
      ),
    );
  }
  return out;
}
