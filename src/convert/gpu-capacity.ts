/**
 * GPUs (seed: DeviceRequest -> CapacityProvider, AutoscalingGroup, launch configuration).
 *
 * Fargate has no GPUs. A service that reserves GPUs (`deploy.resources.reservations.devices` with
 * the `gpu` capability, `generic_resources` of kind gpus, or the `gpus:` short key) runs on the EC2
 * launch type with a GPU ResourceRequirement, on the project's one EC2 capacity provider:
 *
 * - an Auto Scaling group (0..10 instances, sized by ECS managed scaling) whose instances come from
 *   a launch template (launch configurations are deprecated: design 4.4);
 * - the ECS-optimized GPU AMI from its public SSM parameter, as an SSM-typed template parameter,
 *   so `convert` needs no AWS call and each `up` takes the current AMI (design 4.1);
 * - an instance type from the table below, the first that holds the largest GPU service
 *   (memory, vCPUs, GPU count); `deploy.placement.constraints` `node.machine == <type>` and
 *   `node.ami == <ami-id>` override the choice;
 * - an instance role and profile, and a security group of its own with no ingress (the tasks have
 *   their own network interfaces and security groups; the instances take no traffic);
 * - the association that adds the capacity provider to the project's cluster, with FARGATE as the
 *   cluster's default strategy (capacity.ts, which adds FARGATE_SPOT to it when a service asks for
 *   Spot). Services without GPUs keep LaunchType FARGATE.
 *
 * On EC2 an awsvpc task cannot have a public IP: the instance pulls images and ships logs through
 * its own interface (which has one), but the application's own outbound internet traffic needs a
 * NAT gateway or VPC endpoints in the task subnets.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { ServiceConfig } from '../compose/model.js';
import { getAtt, ref, sub, type Resource, type Value } from '../cloudformation/template.js';
import type { ConvertContext } from './context.js';
import { projectTag } from './tags.js';
import { type Fragment } from './fragment.js';
import * as naming from './naming.js';

const MiB = 1024 * 1024;

export interface GpuInstanceType {
  type: string;
  vcpus: number;
  /** GiB */
  memory: number;
  gpus: number;
}

/**
 * Current-generation GPU instance types (NVIDIA T4: g4dn, A10G: g5, L4: g6, V100: p3, A100: p4d)
 * with their documented vCPUs, memory and GPU count, listed from the cheapest to the most expensive
 * on-demand Linux price (us-east-1, approximately; only the order matters): the selection takes the
 * first that fits, so it picks the cheapest type that holds the task.
 */
export const GPU_INSTANCE_TYPES: readonly GpuInstanceType[] = Object.freeze([
  { type: 'g4dn.xlarge', vcpus: 4, memory: 16, gpus: 1 },
  { type: 'g4dn.2xlarge', vcpus: 8, memory: 32, gpus: 1 },
  { type: 'g6.xlarge', vcpus: 4, memory: 16, gpus: 1 },
  { type: 'g6.2xlarge', vcpus: 8, memory: 32, gpus: 1 },
  { type: 'g5.xlarge', vcpus: 4, memory: 16, gpus: 1 },
  { type: 'g4dn.4xlarge', vcpus: 16, memory: 64, gpus: 1 },
  { type: 'g5.2xlarge', vcpus: 8, memory: 32, gpus: 1 },
  { type: 'g6.4xlarge', vcpus: 16, memory: 64, gpus: 1 },
  { type: 'g5.4xlarge', vcpus: 16, memory: 64, gpus: 1 },
  { type: 'g6.8xlarge', vcpus: 32, memory: 128, gpus: 1 },
  { type: 'g4dn.8xlarge', vcpus: 32, memory: 128, gpus: 1 },
  { type: 'g5.8xlarge', vcpus: 32, memory: 128, gpus: 1 },
  { type: 'p3.2xlarge', vcpus: 8, memory: 61, gpus: 1 },
  { type: 'g6.16xlarge', vcpus: 64, memory: 256, gpus: 1 },
  { type: 'g4dn.12xlarge', vcpus: 48, memory: 192, gpus: 4 },
  { type: 'g5.16xlarge', vcpus: 64, memory: 256, gpus: 1 },
  { type: 'g4dn.16xlarge', vcpus: 64, memory: 256, gpus: 1 },
  { type: 'g6.12xlarge', vcpus: 48, memory: 192, gpus: 4 },
  { type: 'g5.12xlarge', vcpus: 48, memory: 192, gpus: 4 },
  { type: 'g6.24xlarge', vcpus: 96, memory: 384, gpus: 4 },
  { type: 'g4dn.metal', vcpus: 96, memory: 384, gpus: 8 },
  { type: 'g5.24xlarge', vcpus: 96, memory: 384, gpus: 4 },
  { type: 'p3.8xlarge', vcpus: 32, memory: 244, gpus: 4 },
  { type: 'g6.48xlarge', vcpus: 192, memory: 768, gpus: 8 },
  { type: 'g5.48xlarge', vcpus: 192, memory: 768, gpus: 8 },
  { type: 'p3.16xlarge', vcpus: 64, memory: 488, gpus: 8 },
  { type: 'p4d.24xlarge', vcpus: 96, memory: 1152, gpus: 8 },
]);

/**
 * The share of an instance's memory a task may ask for: the OS and the ECS agent keep the rest
 * (a 16 GiB g4dn.xlarge registers about 15 GiB with ECS).
 */
export const USABLE_MEMORY_SHARE = 0.9;
/** ECS on EC2 needs a memory figure for the task; used when the service gives none. */
export const DEFAULT_EC2_TASK_MEMORY_MIB = 2048;

export const ASG_MIN_SIZE = 0;
export const ASG_MAX_SIZE = 10;

/** The ECS managed policy for container instances. */
/**
 * CloudFormation names an unnamed capacity provider `<stack>-CapacityProvider-<random>`, and ECS
 * refuses names starting with `aws`, `ecs` or `fargate` (any case): such projects get an explicit
 * name. Other projects keep the generated one, since naming it later would replace it.
 */
function capacityProviderName(project: string): { Name?: string } {
  const stack = naming.stackName(project);
  return /^(aws|ecs|fargate)/i.test(stack) ? { Name: naming.ecsName(`cp-${stack}-gpu`) } : {};
}

const EC2_CONTAINER_INSTANCE_POLICY = naming.managedPolicyArn('service-role/AmazonEC2ContainerServiceforEC2Role');

function isGpuKind(kind: string): boolean {
  return /^(nvidia-)?gpus?$/i.test(kind);
}

/**
 * The number of GPUs a service reserves (0 when none), with warnings about what ECS cannot express.
 * Device requests without a count (docker's "all") reserve one GPU on ECS.
 */
export function gpuReservation(service: ServiceConfig): { count: number; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const r = service.deploy?.resources?.reservations;
  const requests = [...(r?.devices ?? []), ...(service.gpus ?? [])];
  let count = 0;
  for (const d of requests) {
    if (!d.capabilities.some((c) => c.toLowerCase() === 'gpu')) continue;
    if (d.count !== undefined && d.count > 0) count += d.count;
    else if (d.device_ids?.length) count += d.device_ids.length;
    else {
      count += 1;
      diagnostics.push(warning(`Service ${service.name} reserves all GPUs of the host; ECS reserves a number of GPUs, so it gets 1 (set count to ask for more).`, service.name, 'deploy.resources.reservations.devices'));
    }
    if (d.device_ids?.length) diagnostics.push(warning(`Service ${service.name}: devices device_ids are ignored; ECS assigns the GPUs of the instance.`, service.name, 'deploy.resources.reservations.devices'));
    if (d.driver !== undefined && d.driver !== 'nvidia') diagnostics.push(warning(`Service ${service.name}: devices driver ${d.driver} is ignored; ECS GPU instances use NVIDIA drivers.`, service.name, 'deploy.resources.reservations.devices'));
  }
  for (const g of r?.generic_resources ?? []) {
    const spec = g.discrete_resource_spec;
    if (spec && isGpuKind(spec.kind)) count += spec.value;
  }
  return { count, diagnostics };
}

/** Device requests ECS cannot serve: any capability set without `gpu`, any generic resource that is not GPUs. */
export function unsupportedDevices(service: ServiceConfig): string[] {
  const r = service.deploy?.resources?.reservations;
  const out: string[] = [];
  for (const d of [...(r?.devices ?? []), ...(service.gpus ?? [])]) {
    if (!d.capabilities.some((c) => c.toLowerCase() === 'gpu')) out.push(`devices with capabilities ${d.capabilities.join(', ') || '(none)'}`);
  }
  for (const g of r?.generic_resources ?? []) {
    const kind = g.discrete_resource_spec?.kind;
    if (!kind || !isGpuKind(kind)) out.push(`generic resource ${kind ?? '(no kind)'}`);
  }
  return out;
}

interface Placement {
  machine?: string;
  ami?: string;
  ignored: string[];
}

/** `node.machine == X` and `node.ami == Y` from deploy.placement.constraints; the rest is ignored. */
export function gpuPlacement(service: ServiceConfig): Placement {
  const out: Placement = { ignored: [] };
  for (const c of service.deploy?.placement?.constraints ?? []) {
    const m = /^\s*node\.(machine|ami)\s*==\s*(\S+)\s*$/.exec(c);
    if (m) out[m[1] as 'machine' | 'ami'] = m[2]!;
    else out.ignored.push(c);
  }
  return out;
}

/** What the task definition of a GPU service asks for. */
export interface Ec2TaskSize {
  /** CPU units (1024 per vCPU), absent when the service gives no cpus */
  cpu?: number;
  /** MiB */
  memory: number;
}

export function ec2TaskSize(service: ServiceConfig): Ec2TaskSize {
  const res = service.deploy?.resources;
  const cpus = res?.limits?.cpus ?? service.cpus ?? res?.reservations?.cpus;
  const bytes = res?.limits?.memory ?? service.mem_limit ?? res?.reservations?.memory;
  return {
    ...(cpus !== undefined ? { cpu: Math.ceil(cpus * 1024) } : {}),
    memory: bytes !== undefined ? Math.ceil(bytes / MiB) : DEFAULT_EC2_TASK_MEMORY_MIB,
  };
}

/** The cheapest table entry that holds every GPU service's task. */
export function selectGpuInstanceType(need: { vcpus: number; memoryMiB: number; gpus: number }): GpuInstanceType | undefined {
  return GPU_INSTANCE_TYPES.find((t) => t.vcpus >= need.vcpus && t.gpus >= need.gpus && t.memory * 1024 * USABLE_MEMORY_SHARE >= need.memoryMiB);
}

function agreed(ctx: ConvertContext, key: 'machine' | 'ami'): string | undefined {
  const values = new Map<string, string>();
  for (const name of ctx.gpuServices.keys()) {
    const v = gpuPlacement(ctx.project.services[name]!)[key];
    if (v !== undefined) values.set(name, v);
  }
  const distinct = [...new Set(values.values())];
  if (distinct.length > 1) {
    throw new UserError(
      `GPU services ask for different node.${key} (${[...values.entries()].map(([s, v]) => `${s}: ${v}`).join(', ')}); they share one EC2 capacity provider, so they must agree.`,
      { where: { path: `services.${[...values.keys()][1]}.deploy.placement.constraints` } },
    );
  }
  return distinct[0];
}

/** The project's EC2 GPU capacity: nothing unless some service reserves GPUs. */
export function convertGpuCapacity(ctx: ConvertContext): Fragment {
  if (ctx.gpuServices.size === 0) return {};
  const names = [...ctx.gpuServices.keys()];
  if (ctx.cluster.external) {
    throw new UserError(`Service ${names[0]} reserves GPUs, which need an EC2 capacity provider on the project's own cluster; x-aws-cluster names an existing cluster whose capacity providers this stack must not replace.`, {
      where: { path: 'x-aws-cluster' },
      hint: 'Remove x-aws-cluster to deploy GPU services, or run them in a separate project.',
    });
  }
  const diagnostics: Diagnostic[] = [];
  const machine = agreed(ctx, 'machine');
  const ami = agreed(ctx, 'ami');
  let instanceType = machine;
  if (instanceType === undefined) {
    const sizes = names.map((n) => ({ n, size: ec2TaskSize(ctx.project.services[n]!), gpus: ctx.gpuServices.get(n)! }));
    const need = {
      vcpus: Math.max(...sizes.map((s) => (s.size.cpu ?? 0) / 1024)),
      memoryMiB: Math.max(...sizes.map((s) => s.size.memory)),
      gpus: Math.max(...sizes.map((s) => s.gpus)),
    };
    const chosen = selectGpuInstanceType(need);
    if (!chosen) {
      throw new UserError(
        `No GPU instance type in the table holds ${need.gpus} GPU(s), ${need.vcpus} vCPU and ${need.memoryMiB} MiB (services ${names.join(', ')}); the largest is p4d.24xlarge.`,
        { where: { path: `services.${names[0]}.deploy.resources` }, hint: 'Lower the reservations, or name an instance type with deploy.placement.constraints: ["node.machine == <type>"].' },
      );
    }
    instanceType = chosen.type;
  }
  const parameters: NonNullable<Fragment['parameters']> = {};
  if (ami === undefined) {
    parameters[naming.GPU_AMI_PARAMETER] = {
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: naming.GPU_AMI_SSM_PARAMETER,
      Description: 'ECS-optimized GPU AMI for the GPU capacity provider (resolved from its public SSM parameter at each deployment)',
    };
  }

  const resources: Record<string, Resource> = {
    [naming.EC2_INSTANCE_ROLE]: {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: ['sts:AssumeRole'] }],
        },
        ManagedPolicyArns: [EC2_CONTAINER_INSTANCE_POLICY],
        Tags: [projectTag(ctx)],
      },
    },
    [naming.EC2_INSTANCE_PROFILE]: { Type: 'AWS::IAM::InstanceProfile', Properties: { Roles: [ref(naming.EC2_INSTANCE_ROLE)] } },
    [naming.EC2_INSTANCE_SECURITY_GROUP]: {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: `${ctx.project.name} GPU container instances (no inbound traffic: tasks have their own interfaces)`,
        VpcId: ctx.vpc,
        Tags: [projectTag(ctx)],
      },
    },
    [naming.LAUNCH_TEMPLATE]: {
      Type: 'AWS::EC2::LaunchTemplate',
      Properties: {
        LaunchTemplateData: {
          ImageId: ami ?? ref(naming.GPU_AMI_PARAMETER),
          InstanceType: instanceType,
          IamInstanceProfile: { Arn: getAtt(naming.EC2_INSTANCE_PROFILE, 'Arn') },
          // a public address so the instance reaches ECS, ECR and CloudWatch from a public subnet without NAT
          NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true, Groups: [ref(naming.EC2_INSTANCE_SECURITY_GROUP)] }],
          MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
          // the ${Cluster} reference also makes the instances go before the cluster on delete
          UserData: { 'Fn::Base64': sub(`#!/bin/bash\necho ECS_CLUSTER=\${${naming.CLUSTER}} >> /etc/ecs/ecs.config\necho ECS_ENABLE_GPU_SUPPORT=true >> /etc/ecs/ecs.config\n`) },
        },
      },
    },
    [naming.AUTOSCALING_GROUP]: {
      Type: 'AWS::AutoScaling::AutoScalingGroup',
      Properties: {
        MinSize: String(ASG_MIN_SIZE),
        MaxSize: String(ASG_MAX_SIZE),
        VPCZoneIdentifier: ctx.subnets,
        LaunchTemplate: { LaunchTemplateId: ref(naming.LAUNCH_TEMPLATE), Version: getAtt(naming.LAUNCH_TEMPLATE, 'LatestVersionNumber') },
        // ECS adds AmazonECSManaged to the group once the capacity provider manages it; declared here
        // so a stack update does not remove it (drift, instances that never scale in)
        Tags: [
          { Key: 'AmazonECSManaged', Value: 'true', PropagateAtLaunch: true },
          { Key: naming.TAG_PROJECT, Value: ctx.project.name, PropagateAtLaunch: true },
        ],
      },
    },
    [naming.CAPACITY_PROVIDER]: {
      Type: 'AWS::ECS::CapacityProvider',
      Properties: {
        AutoScalingGroupProvider: {
          AutoScalingGroupArn: ref(naming.AUTOSCALING_GROUP),
          ManagedScaling: { Status: 'ENABLED', TargetCapacity: 100 },
          ManagedTerminationProtection: 'DISABLED',
        },
        ...capacityProviderName(ctx.project.name),
        Tags: [projectTag(ctx)],
      },
    },
    // the association with the cluster is capacity.ts's: one per cluster, shared with Fargate Spot
  };
  return { resources, parameters, diagnostics };
}

/** The ECS service's capacity settings for a GPU service. */
export function gpuServiceCapacity(): { strategy: Value; dependsOn: string } {
  return { strategy: [{ CapacityProvider: ref(naming.CAPACITY_PROVIDER), Weight: 1, Base: 0 }], dependsOn: naming.CLUSTER_CAPACITY_PROVIDERS };
}
