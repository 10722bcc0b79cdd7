/**
 * The task definition: one container per task, named after the service (compose has no sidecar
 * syntax), awsvpc networking on Fargate, sized from deploy.resources with today's Fargate table.
 * Secrets add an init container before it (secrets.ts); named volumes add EFS task volumes
 * (volumes.ts); tmpfs mounts add task storage and an init container that sets its mode
 * (task-storage.ts); a GPU reservation puts the task on EC2 with a GPU requirement (gpu-capacity.ts).
 */
import { warning, type Diagnostic } from '../errors.js';
import type { HealthcheckConfig, ServiceConfig } from '../compose/model.js';
import { getAtt, ref, type Value } from '../cloudformation/template.js';
import { factsOf, type ConvertContext } from './context.js';
import { serviceTags } from './tags.js';
import { X_AWS_PULL_CREDENTIALS } from './extensions.js';
import { readString } from './extension-values.js';
import { selectFargateSize } from './fargate-sizes.js';
import { type Fragment } from './fragment.js';
import { ec2TaskSize } from './gpu-capacity.js';
import { taskRoleOf } from './iam.js';
import { serviceImage } from './image-builds.js';
import * as naming from './naming.js';
import { serviceSecrets } from './secrets.js';
import { deliveredMounts } from './task-files.js';
import { serviceTaskStorage } from './task-storage.js';

const MiB = 1024 * 1024;
/** Fargate stops a container at most 120 s after SIGTERM. */
const MAX_STOP_TIMEOUT_SECONDS = 120;

/** ECS health check bounds, in seconds (retries: count). */
const HEALTH_BOUNDS = {
  Interval: { min: 5, max: 300 },
  Timeout: { min: 2, max: 60 },
  StartPeriod: { min: 0, max: 300 },
  Retries: { min: 1, max: 10 },
} as const;

export const RUNTIME_PLATFORMS: Readonly<Record<string, { CpuArchitecture: string; OperatingSystemFamily: string }>> = Object.freeze({
  'linux/amd64': { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
  'linux/x86_64': { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
  'linux/arm64': { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
  'linux/arm64/v8': { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
});

function healthCheck(service: ServiceConfig, hc: HealthcheckConfig, diagnostics: Diagnostic[]): Value | undefined {
  if (hc.disable || !hc.test || hc.test.length === 0 || hc.test[0] === 'NONE') return undefined;
  const out: Record<string, Value> = { Command: hc.test };
  const fields: [keyof typeof HEALTH_BOUNDS, number | undefined, boolean][] = [
    ['Interval', hc.interval, true],
    ['Timeout', hc.timeout, true],
    ['StartPeriod', hc.start_period, true],
    ['Retries', hc.retries, false],
  ];
  for (const [name, raw, isDuration] of fields) {
    if (raw === undefined) continue;
    const value = isDuration ? Math.round(raw / 1000) : raw;
    const { min, max } = HEALTH_BOUNDS[name];
    const clamped = Math.min(max, Math.max(min, value));
    if (clamped !== value) {
      diagnostics.push(
        warning(`Service ${service.name}: healthcheck ${name.toLowerCase()} ${value}${isDuration ? 's' : ''} is outside what ECS accepts (${min}-${max}); using ${clamped}.`, service.name, 'healthcheck'),
      );
    }
    out[name] = clamped;
  }
  return out;
}

export function logConfiguration(ctx: ConvertContext, service: ServiceConfig): Value {
  const options: Record<string, Value> = {
    'awslogs-group': ref(naming.LOG_GROUP),
    'awslogs-region': ref('AWS::Region'),
    'awslogs-stream-prefix': ctx.project.name,
  };
  // only awslogs options apply; compatibility.ts warns about the rest
  for (const [key, value] of Object.entries(service.logging?.options ?? {})) {
    if (key.startsWith('awslogs-') && value !== null) options[key] = value;
  }
  return { LogDriver: 'awslogs', Options: options };
}

export function convertTaskDefinition(ctx: ConvertContext, service: ServiceConfig): Fragment {
  const diagnostics: Diagnostic[] = [];
  const container: Record<string, Value> = {
    Name: naming.containerName(service.name),
    Image: serviceImage(service),
    Essential: true,
    LogConfiguration: logConfiguration(ctx, service),
  };
  if (service.command && service.command.length > 0) container.Command = service.command;
  if (service.entrypoint && service.entrypoint.length > 0) container.EntryPoint = service.entrypoint;

  const environment = Object.entries(service.environment ?? {})
    .filter((e): e is [string, string] => e[1] !== null)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Name, Value]) => ({ Name, Value }));
  if (environment.length > 0) container.Environment = environment;

  const ports = ctx.offered.get(service.name) ?? [];
  if (ports.length > 0) {
    container.PortMappings = ports.map((p) => ({
      ContainerPort: p.port,
      Protocol: p.protocol,
      Name: naming.portMappingName(service.name, p.port, p.protocol),
    }));
  }

  if (service.healthcheck) {
    const hc = healthCheck(service, service.healthcheck, diagnostics);
    if (hc) container.HealthCheck = hc;
  }
  if (service.user) container.User = service.user;
  if (service.working_dir) container.WorkingDirectory = service.working_dir;
  if (service.read_only) container.ReadonlyRootFilesystem = true;
  if (service.tty) container.PseudoTerminal = true;
  if (service.stdin_open) container.Interactive = true;

  const linux: Record<string, Value> = {};
  if (service.init !== undefined) linux.InitProcessEnabled = service.init;
  const capabilities: Record<string, Value> = {};
  // compatibility.ts refuses any added capability other than SYS_PTRACE
  if (service.cap_add?.length) capabilities.Add = [...service.cap_add].sort();
  if (service.cap_drop?.length) capabilities.Drop = [...service.cap_drop].sort();
  if (Object.keys(capabilities).length > 0) linux.Capabilities = capabilities;
  if (Object.keys(linux).length > 0) container.LinuxParameters = linux;

  const nofile = service.ulimits?.nofile;
  if (nofile) container.Ulimits = [{ Name: 'nofile', SoftLimit: nofile.soft, HardLimit: nofile.hard }];

  if (service.labels && Object.keys(service.labels).length > 0) container.DockerLabels = service.labels;

  const sysctls = Object.entries(service.sysctls ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (sysctls.length > 0) container.SystemControls = sysctls.map(([Namespace, Value]) => ({ Namespace, Value }));

  if (service.stop_grace_period !== undefined) {
    const seconds = Math.ceil(service.stop_grace_period / 1000);
    if (seconds > MAX_STOP_TIMEOUT_SECONDS) {
      diagnostics.push(warning(`Service ${service.name}: stop_grace_period ${seconds}s is longer than Fargate allows; using ${MAX_STOP_TIMEOUT_SECONDS}s.`, service.name, 'stop_grace_period'));
    }
    container.StopTimeout = Math.min(seconds, MAX_STOP_TIMEOUT_SECONDS);
  }

  const resources = service.deploy?.resources;
  const reservedMemory = resources?.reservations?.memory ?? service.mem_reservation;
  if (reservedMemory !== undefined) container.MemoryReservation = Math.max(4, Math.ceil(reservedMemory / MiB));

  const pullCredentials = readString(service.extensions, X_AWS_PULL_CREDENTIALS, `services.${service.name}`);
  if (pullCredentials !== undefined) container.RepositoryCredentials = { CredentialsParameter: pullCredentials };

  const gpus = ctx.gpuServices.get(service.name);
  if (gpus !== undefined) {
    container.ResourceRequirements = [{ Type: 'GPU', Value: String(gpus) }];
    diagnostics.push(...factsOf(ctx, service).gpu.diagnostics);
  }

  const volumes: Value[] = [];
  const mountPoints: Value[] = [];
  const secrets = serviceSecrets(ctx, service, container.LogConfiguration!);
  const containers: Value[] = [];
  if (secrets) {
    containers.push(secrets.initContainer);
    volumes.push(secrets.volume);
    mountPoints.push(secrets.mountPoint);
    container.DependsOn = [secrets.dependsOn];
  }
  const efs = factsOf(ctx, service).volumes;
  volumes.push(...efs.taskVolumes);
  mountPoints.push(...efs.mountPoints);
  const storage = serviceTaskStorage(service, container.LogConfiguration!, deliveredMounts(service, ctx.project, ctx.files));
  volumes.push(...storage.volumes);
  mountPoints.push(...storage.mountPoints);
  diagnostics.push(...storage.diagnostics);
  if (storage.dependsOn) {
    containers.push(...storage.initContainers);
    container.DependsOn = [...((container.DependsOn as Value[] | undefined) ?? []), storage.dependsOn];
  }
  if (mountPoints.length > 0) container.MountPoints = mountPoints;
  containers.push(container);

  const properties: Record<string, Value> = {
    Family: naming.taskFamily(ctx.project.name, service.name),
    NetworkMode: 'awsvpc',
    ExecutionRoleArn: getAtt(naming.taskExecutionRole(service.name), 'Arn'),
    ContainerDefinitions: containers,
    Tags: serviceTags(ctx, service.name),
  };
  if (gpus !== undefined) {
    const size = ec2TaskSize(service);
    properties.RequiresCompatibilities = ['EC2'];
    if (size.cpu !== undefined) properties.Cpu = String(size.cpu);
    properties.Memory = String(size.memory);
  } else {
    const size = selectFargateSize(
      resources?.limits?.cpus ?? service.cpus ?? resources?.reservations?.cpus,
      resources?.limits?.memory ?? service.mem_limit ?? resources?.reservations?.memory,
      service.name,
    );
    properties.RequiresCompatibilities = ['FARGATE'];
    properties.Cpu = String(size.cpu);
    properties.Memory = String(size.memory);
  }
  if (volumes.length > 0) properties.Volumes = volumes;
  const taskRole = taskRoleOf(ctx, service);
  if (taskRole) properties.TaskRoleArn = getAtt(taskRole, 'Arn');
  const platform = service.platform ? RUNTIME_PLATFORMS[service.platform.toLowerCase()] : undefined;
  if (platform) properties.RuntimePlatform = platform;

  return { resources: { [naming.taskDefinition(service.name)]: { Type: 'AWS::ECS::TaskDefinition', Properties: properties } }, diagnostics };
}
