/**
 * AWS limits checked on the finished template (after the x-aws-cloudformation overlay), so both
 * `convert` and `up` refuse a template AWS would reject before anything leaves the machine. Each
 * refusal is one sentence with the numbers and the biggest contributors; every exceeded limit of
 * the template is reported at once.
 *
 * Sources:
 * - CloudFormation quotas (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-limits.html,
 *   figures as cfn-lint 1.51 `helpers.LIMITS` carries them): 500 resources, 200 parameters,
 *   200 outputs, logical IDs alphanumeric and at most 255 characters, a template body of at most
 *   1,000,000 bytes through S3 (51,200 bytes inline, which `up` avoids by uploading to S3).
 * - Elastic Load Balancing quotas (docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-limits.html,
 *   .../network/load-balancer-limits.html): 50 listeners per load balancer, 100 target groups
 *   per Application Load Balancer.
 * - ECS (AWS::ECS::TaskDefinition ContainerDefinition and PortMapping reference): family and
 *   container names `[A-Za-z0-9_-]{1,255}`, ports 1-65535, StopTimeout 0-120 seconds on Fargate.
 */
import { UserError } from '../errors.js';
import { renderTemplate } from '../cloudformation/serialize.js';
import type { Resource, Template } from '../cloudformation/template.js';
import { normalizeResourceName } from './naming.js';
import { byCodeUnit } from './code-unit-order.js';

export const MAX_RESOURCES = 500;
export const MAX_PARAMETERS = 200;
export const MAX_OUTPUTS = 200;
export const MAX_LOGICAL_ID_LENGTH = 255;
export const MAX_TEMPLATE_BYTES = 1_000_000;
export const MAX_LISTENERS_PER_LOAD_BALANCER = 50;
export const MAX_TARGET_GROUPS_PER_LOAD_BALANCER = 100;
export const MAX_STOP_TIMEOUT_SECONDS = 120;
const ECS_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

/** 65535 -> "65,535" on every machine. */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function cut(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** Which compose service a logical ID belongs to: the longest service prefix, else the project. */
function ownerOf(services: readonly { name: string; prefix: string }[]): (id: string) => string | undefined {
  const byLength = [...services].filter((s) => s.prefix !== '').sort((a, b) => b.prefix.length - a.prefix.length || (a.name < b.name ? -1 : 1));
  return (id) => byLength.find((s) => id.startsWith(s.prefix))?.name;
}

/** "services web (9), api (9) and db (7), and 40 other services" from counts per owner. */
function contributors(counts: Map<string | undefined, number>, unit: (n: number) => string): string {
  const rows = [...counts.entries()].sort((a, b) => b[1] - a[1] || byCodeUnit(String(a[0]), String(b[0])));
  const services = rows.filter(([k]) => k !== undefined) as [string, number][];
  const project = counts.get(undefined);
  const top = services.slice(0, 3).map(([name, n]) => `${cut(name, 40)} (${unit(n)})`);
  const rest = services.length - top.length;
  const parts: string[] = [];
  if (top.length > 0) parts.push(`service${top.length > 1 ? 's' : ''} ${top.join(', ')}${rest > 0 ? ` and ${grouped(rest)} other service${rest > 1 ? 's' : ''}` : ''}`);
  if (project) parts.push(`the project-level resources (${unit(project)})`);
  return parts.join(', then ');
}

function countBy<T>(items: readonly T[], key: (t: T) => string | undefined): Map<string | undefined, number> {
  const m = new Map<string | undefined, number>();
  for (const it of items) m.set(key(it), (m.get(key(it)) ?? 0) + 1);
  return m;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** The sentences for every limit the template exceeds (empty when it fits). */
export function limitProblems(template: Template, serviceNames: readonly string[]): string[] {
  const problems: string[] = [];
  const owner = ownerOf(serviceNames.map((name) => ({ name, prefix: normalizeResourceName(name) })));
  const resources = Object.entries(template.Resources) as [string, Resource][];
  const parameters = Object.keys(template.Parameters ?? {});
  const outputs = Object.keys(template.Outputs ?? {});
  const plural = (n: number, what: string) => `${grouped(n)} ${what}${n === 1 ? '' : 's'}`;

  if (resources.length > MAX_RESOURCES) {
    problems.push(
      `The template has ${grouped(resources.length)} resources, more than the ${MAX_RESOURCES} CloudFormation allows in one stack; the most come from ${contributors(countBy(resources, ([id]) => owner(id)), (n) => plural(n, 'resource'))}. Split the project into several compose projects (each its own stack), or remove services or published ports.`,
    );
  }
  if (parameters.length > MAX_PARAMETERS) {
    problems.push(`The template has ${grouped(parameters.length)} parameters, more than the ${MAX_PARAMETERS} CloudFormation allows; the most come from ${contributors(countBy(parameters, owner), (n) => plural(n, 'parameter'))}. File-based secrets are one parameter each: use fewer, or external secrets.`);
  }
  if (outputs.length > MAX_OUTPUTS) {
    problems.push(`The template has ${grouped(outputs.length)} outputs, more than the ${MAX_OUTPUTS} CloudFormation allows; the most come from ${contributors(countBy(outputs, owner), (n) => plural(n, 'output'))}. Remove outputs from x-aws-cloudformation.`);
  }
  for (const [section, ids] of [['Resources', resources.map(([id]) => id)], ['Parameters', parameters], ['Outputs', outputs], ['Conditions', Object.keys(template.Conditions ?? {})]] as const) {
    const bad = ids.filter((id) => !LOGICAL_ID.test(id) || id.length > MAX_LOGICAL_ID_LENGTH);
    if (bad.length === 0) continue;
    const first = bad[0]!;
    const why = !LOGICAL_ID.test(first) ? 'is not alphanumeric' : `has ${grouped(first.length)} characters, more than ${MAX_LOGICAL_ID_LENGTH}`;
    const whose = owner(first);
    problems.push(
      `${section} logical ID "${cut(first)}"${whose ? ` (from service ${cut(whose, 40)})` : ''} ${why}${bad.length > 1 ? `, and so do ${plural(bad.length - 1, 'other ID')}` : ''}; CloudFormation takes IDs of 1 to ${MAX_LOGICAL_ID_LENGTH} letters and digits. ${whose ? 'Shorten the service name' : 'Rename it in x-aws-cloudformation'}.`,
    );
  }

  const loadBalancers = new Map<string, { listeners: string[]; targetGroups: string[] }>();
  const lbOf = (id: string) => loadBalancers.get(id) ?? (loadBalancers.set(id, { listeners: [], targetGroups: [] }), loadBalancers.get(id)!);
  const refName = (v: unknown): string | undefined => (v && typeof v === 'object' && 'Ref' in v && typeof (v as { Ref: unknown }).Ref === 'string' ? (v as { Ref: string }).Ref : undefined);
  const badNames: string[] = [];
  const badPorts: string[] = [];
  const badStops: string[] = [];
  for (const [id, r] of resources) {
    const p = (r.Properties ?? {}) as Record<string, unknown>;
    if (r.Type === 'AWS::ElasticLoadBalancingV2::Listener') {
      lbOf(refName(p.LoadBalancerArn) ?? '(unknown)').listeners.push(id);
      if (isInt(p.Port) && (p.Port < 1 || p.Port > 65535)) badPorts.push(`listener ${id} port ${p.Port}`);
    } else if (r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup') {
      if (isInt(p.Port) && (p.Port < 1 || p.Port > 65535)) badPorts.push(`target group ${id} port ${p.Port}`);
    } else if (r.Type === 'AWS::ECS::TaskDefinition') {
      if (typeof p.Family === 'string' && !ECS_NAME.test(p.Family)) badNames.push(`task family "${cut(p.Family)}"`);
      for (const c of Array.isArray(p.ContainerDefinitions) ? (p.ContainerDefinitions as Record<string, unknown>[]) : []) {
        if (typeof c.Name === 'string' && !ECS_NAME.test(c.Name)) badNames.push(`container name "${cut(c.Name)}"`);
        if (isInt(c.StopTimeout) && (c.StopTimeout < 0 || c.StopTimeout > MAX_STOP_TIMEOUT_SECONDS)) badStops.push(`${typeof c.Name === 'string' ? cut(c.Name) : id} (${c.StopTimeout})`);
        for (const m of Array.isArray(c.PortMappings) ? (c.PortMappings as Record<string, unknown>[]) : []) {
          for (const key of ['ContainerPort', 'HostPort'] as const) {
            const v = m[key];
            if (isInt(v) && (v < 1 || v > 65535)) badPorts.push(`${typeof c.Name === 'string' ? cut(c.Name) : id} ${key} ${v}`);
          }
        }
      }
    }
  }
  // target groups belong to the load balancer of the listener that forwards to them; with one
  // load balancer per project, count them against it
  const targetGroups = resources.filter(([, r]) => r.Type === 'AWS::ElasticLoadBalancingV2::TargetGroup').map(([id]) => id);
  if (loadBalancers.size === 1) [...loadBalancers.values()][0]!.targetGroups.push(...targetGroups);
  for (const [lb, { listeners, targetGroups: groups }] of [...loadBalancers.entries()].sort()) {
    if (listeners.length > MAX_LISTENERS_PER_LOAD_BALANCER) {
      problems.push(`The load balancer ${cut(lb)} gets ${grouped(listeners.length)} listeners, more than the ${MAX_LISTENERS_PER_LOAD_BALANCER} Elastic Load Balancing allows; each published port is one listener, and the most come from ${contributors(countBy(listeners, owner), (n) => plural(n, 'listener'))}. Publish fewer ports (list the others under expose to keep them reachable inside the project).`);
    }
    if (groups.length > MAX_TARGET_GROUPS_PER_LOAD_BALANCER) {
      problems.push(`The load balancer ${cut(lb)} gets ${grouped(groups.length)} target groups, more than the ${MAX_TARGET_GROUPS_PER_LOAD_BALANCER} Elastic Load Balancing allows; the most come from ${contributors(countBy(groups, owner), (n) => plural(n, 'target group'))}. Publish fewer ports.`);
    }
  }
  const listOf = (items: string[]) => `${items.slice(0, 3).join(', ')}${items.length > 3 ? ` and ${grouped(items.length - 3)} more` : ''}`;
  if (badNames.length > 0) problems.push(`ECS names are 1 to 255 letters, digits, hyphens and underscores, and the template has ${listOf(badNames)}; rename the project or service.`);
  if (badPorts.length > 0) problems.push(`Ports are whole numbers from 1 to 65535, and the template has ${listOf(badPorts)}; fix the ports of the compose file or the x-aws-cloudformation overlay.`);
  if (badStops.length > 0) problems.push(`ECS takes a StopTimeout of 0 to ${MAX_STOP_TIMEOUT_SECONDS} seconds, and the template gives ${listOf(badStops)}; set stop_grace_period between 0s and 2m.`);

  // the size last: it is the costly check, and a template over the counts is usually over it too
  const bytes = Buffer.byteLength(renderTemplate(template, 'json'));
  if (bytes > MAX_TEMPLATE_BYTES) {
    const sizes = new Map<string | undefined, number>();
    for (const [id, r] of resources) sizes.set(owner(id), (sizes.get(owner(id)) ?? 0) + Buffer.byteLength(JSON.stringify(r)));
    const kb = (n: number) => `${grouped(Math.ceil(n / 1000))} KB`;
    problems.push(`The template is ${kb(bytes)}, more than the ${kb(MAX_TEMPLATE_BYTES)} CloudFormation accepts even through S3; the largest parts come from ${contributors(sizes, kb)}. Split the project into several compose projects, or shorten what is repeated in every service (environment, labels, x-aws-cloudformation).`);
  }
  return problems;
}

/** Refuses a template over any AWS limit, naming every problem at once. */
export function checkLimits(template: Template, serviceNames: readonly string[]): void {
  const problems = limitProblems(template, serviceNames);
  if (problems.length === 0) return;
  throw new UserError(problems.join(' '), { code: 'convert.limits' });
}
