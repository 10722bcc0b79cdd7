/**
 * The compatibility table (design 4.7): every compose service key has one verdict, and the table
 * is exhaustive by type, so a key added to the model does not compile until someone judges it.
 *
 * - `mapped`: the named module turns it into CloudFormation;
 * - `accepted`: it has no meaning for a deployment and nothing is lost (`container_name`,
 *   `profiles` already applied by the loader): no warning, so the output stays quiet;
 * - `warn`: ignored, with one warning per service and key saying why;
 * - `refuse`: conversion stops, and every refused key of the project is reported at once, each
 *   naming its file:line, service and key;
 * - `check`: the verdict depends on the value (e.g. `cap_add: [SYS_PTRACE]` is mapped, any other
 *   capability is refused); the function returns the findings.
 *
 * The rule for warn vs refuse: a key is refused when ignoring it would leave the application
 * broken or insecure in a way the user would only find out in AWS (a bind-mounted config file,
 * a secret, a GPU, host networking); it is warned about when the application still runs.
 */
import { UserError, warning, type Diagnostic } from '../errors.js';
import type { DeployConfig, Origin, Project, ServiceConfig } from '../compose/model.js';
import { DEPLOY_EXTENSIONS, PORT_EXTENSIONS, SERVICE_EXTENSIONS, UPDATE_CONFIG_EXTENSIONS, X_AWS_MAX_PERCENT, X_AWS_MIN_PERCENT } from './extensions.js';
import { planBindMount } from './bind-mounts.js';
import { gpuPlacement, gpuReservation, unsupportedDevices } from './gpu-capacity.js';
import type { ProjectFiles } from './project-files.js';
import { throwProblems } from './problems.js';
import { RUNTIME_PLATFORMS } from './task-definition.js';

/** `at`: the entry the finding is about (`volumes[2]`), for its line; else the key's line. */
export type Finding = { key: string; warn: string } | { key: string; refuse: string; hint?: string; at?: string };

export type Verdict =
  | { mapped: string }
  | { accepted: string }
  | { warn: string }
  | { refuse: string; hint?: string }
  | { check: (service: ServiceConfig, project: Project, files: ProjectFiles) => Finding[] };

const FARGATE_CAPABILITIES = ['SYS_PTRACE'];

/** `up` builds and pushes (image-builds.ts); only an image pinned by digest cannot be a push target. */
function checkBuild(s: ServiceConfig): Finding[] {
  if (s.image?.includes('@')) {
    return [{ key: 'build', refuse: `is set with image ${s.image}, which is pinned by digest, so up cannot push the build there`, hint: 'Drop the @sha256:... part of image (up deploys the pushed build by digest anyway), or drop build.' }];
  }
  return [];
}

function checkCapAdd(s: ServiceConfig): Finding[] {
  const refused = (s.cap_add ?? []).filter((c) => !FARGATE_CAPABILITIES.includes(c.replace(/^CAP_/, '')));
  return refused.length === 0 ? [] : [{ key: 'cap_add', refuse: `adds ${refused.join(', ')}; Fargate only allows adding SYS_PTRACE` }];
}

/** A memory amount as compose users write it: `256M`, `1.5G`. */
function memoryText(bytes: number): string {
  const MiB = 1024 * 1024;
  return bytes % (1024 * MiB) === 0 ? `${bytes / (1024 * MiB)}G` : `${Math.round((bytes / MiB) * 10) / 10}M`;
}

/** ECS refuses a container whose memory reservation is above its limit; docker refuses it too. */
function checkMemoryReservation(s: ServiceConfig): Finding[] {
  const reservation = s.deploy?.resources?.reservations?.memory ?? s.mem_reservation;
  const limit = s.deploy?.resources?.limits?.memory ?? s.mem_limit;
  if (reservation === undefined || limit === undefined || reservation <= limit) return [];
  const key = s.deploy?.resources?.reservations?.memory !== undefined ? 'deploy.resources.reservations.memory' : 'mem_reservation';
  return [{ key, refuse: `is ${memoryText(reservation)}, above the memory limit ${memoryText(limit)}; ECS refuses a reservation larger than the limit`, hint: 'Lower the reservation or raise the limit.' }];
}

/**
 * The kernel parameters ECS sets in a container: the IPC and network namespaced ones
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_SystemControl.html).
 */
const NAMESPACED_SYSCTL = /^(kernel\.(msgmax|msgmnb|msgmni|sem|shmall|shmmax|shmmni|shm_rmid_forced)|fs\.mqueue\..+|net\..+)$/;

function checkSysctls(s: ServiceConfig): Finding[] {
  const other = Object.keys(s.sysctls ?? {}).filter((k) => !NAMESPACED_SYSCTL.test(k)).sort();
  if (other.length === 0) return [];
  return [
    {
      key: 'sysctls',
      refuse: `sets ${other.join(', ')}, which ECS cannot set per container (only net.*, fs.mqueue.* and the kernel IPC parameters kernel.msg*, kernel.sem, kernel.shm* are namespaced)`,
      hint: 'Remove them; a host-wide parameter such as vm.max_map_count cannot be set on Fargate.',
    },
  ];
}

function checkDeploy(s: ServiceConfig): Finding[] {
  const d: DeployConfig = s.deploy ?? {};
  // the reservation is judged here when deploy sets it, else under mem_reservation
  const out: Finding[] = d.resources?.reservations?.memory !== undefined || s.mem_reservation === undefined ? [...checkMemoryReservation(s)] : [];
  if (d.mode !== undefined && d.mode !== 'replicated') {
    out.push({ key: 'deploy.mode', refuse: `is ${d.mode}; Fargate services are replicated`, hint: 'Remove deploy.mode or set deploy.replicas.' });
  }
  if (d.endpoint_mode !== undefined) out.push({ key: 'deploy.endpoint_mode', warn: 'deploy.endpoint_mode is ignored: Cloud Map returns every task address' });
  if (d.labels !== undefined) out.push({ key: 'deploy.labels', warn: 'deploy.labels is ignored: ECS services have tags, not labels' });
  if (d.rollback_config !== undefined) out.push({ key: 'deploy.rollback_config', warn: 'deploy.rollback_config is ignored: the ECS deployment circuit breaker rolls a failed deployment back' });
  if (d.restart_policy !== undefined) out.push({ key: 'deploy.restart_policy', warn: 'deploy.restart_policy is ignored: ECS replaces every stopped task of a service' });
  if (d.placement !== undefined) {
    // a GPU service reads node.machine / node.ami (gpu-capacity.ts); the rest has no meaning on ECS here
    const gpu = gpuReservation(s).count > 0;
    const ignored = gpu ? gpuPlacement(s).ignored : (d.placement.constraints ?? []);
    const other = (['preferences', 'max_replicas_per_node'] as const).filter((k) => d.placement![k] !== undefined);
    if (ignored.length > 0 || other.length > 0) {
      const what = [...(ignored.length > 0 ? [`constraints ${ignored.join(', ')}`] : []), ...other].join(', ');
      out.push({
        key: 'deploy.placement',
        warn: gpu
          ? `deploy.placement ${what} ignored: only node.machine and node.ami apply, to the GPU instances`
          : `deploy.placement is ignored: Fargate places tasks itself`,
      });
    }
  }
  const u = d.update_config;
  if (u) {
    for (const k of ['delay', 'failure_action', 'monitor', 'max_failure_ratio', 'order'] as const) {
      if (u[k] !== undefined) out.push({ key: `deploy.update_config.${k}`, warn: `deploy.update_config.${k} is ignored: ECS rolling updates are set by parallelism, ${X_AWS_MIN_PERCENT} and ${X_AWS_MAX_PERCENT}` });
    }
  }
  out.push(...unknownExtensions(d.extensions, 'deploy', DEPLOY_EXTENSIONS));
  if (u) out.push(...unknownExtensions(u.extensions, 'deploy.update_config', UPDATE_CONFIG_EXTENSIONS));
  if (d.resources?.limits?.pids !== undefined) out.push({ key: 'deploy.resources.limits.pids', warn: 'deploy.resources.limits.pids is ignored: Fargate has no pids limit' });
  const devices = unsupportedDevices(s);
  if (devices.length > 0) {
    out.push({ key: 'deploy.resources.reservations', refuse: `reserves ${devices.join(', ')}; ECS only reserves GPUs` });
  }
  return out;
}

function checkGpus(s: ServiceConfig): Finding[] {
  return (s.gpus ?? []).some((d) => !d.capabilities.some((c) => c.toLowerCase() === 'gpu'))
    ? [{ key: 'gpus', refuse: 'requests devices without the gpu capability; ECS only reserves GPUs' }]
    : [];
}

function checkHealthcheck(s: ServiceConfig): Finding[] {
  return s.healthcheck?.start_interval !== undefined
    ? [{ key: 'healthcheck.start_interval', warn: 'healthcheck.start_interval is ignored: ECS checks at the same interval during the start period' }]
    : [];
}

function checkLogging(s: ServiceConfig): Finding[] {
  const out: Finding[] = [];
  const driver = s.logging?.driver;
  if (driver !== undefined && driver !== 'awslogs') {
    out.push({ key: 'logging.driver', warn: `logging.driver ${driver} is ignored: logs go to CloudWatch Logs (awslogs)` });
  } else {
    const other = Object.keys(s.logging?.options ?? {}).filter((k) => !k.startsWith('awslogs-')).sort();
    if (other.length > 0) out.push({ key: 'logging.options', warn: `logging.options ${other.join(', ')} ignored: only awslogs-* options apply` });
  }
  return out;
}

function checkNetworks(s: ServiceConfig): Finding[] {
  const out: Finding[] = [];
  for (const [net, attachment] of Object.entries(s.networks ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!attachment) continue;
    const set = (['aliases', 'ipv4_address', 'ipv6_address', 'link_local_ips', 'mac_address', 'interface_name', 'driver_opts', 'priority', 'gw_priority'] as const).filter(
      (k) => attachment[k] !== undefined,
    );
    if (set.length > 0) out.push({ key: 'networks', warn: `networks.${net} ${set.join(', ')} ignored: on ECS a network is a security group, tasks get addresses from the subnets` });
  }
  return out;
}

function checkPlatform(s: ServiceConfig): Finding[] {
  if (!s.platform || RUNTIME_PLATFORMS[s.platform.toLowerCase()]) return [];
  return [{ key: 'platform', refuse: `is ${s.platform}; Fargate runs ${Object.keys(RUNTIME_PLATFORMS).join(', ')}` }];
}

function checkPorts(s: ServiceConfig): Finding[] {
  const out: Finding[] = [];
  // host_ip: ports.ts keeps loopback ports private and refuses other single addresses
  (s.ports ?? []).forEach((p, i) => out.push(...unknownExtensions(p.extensions, `ports[${i}]`, PORT_EXTENSIONS)));
  return out;
}

function checkPrivileged(s: ServiceConfig): Finding[] {
  return s.privileged ? [{ key: 'privileged', refuse: 'is true; Fargate does not run privileged containers' }] : [];
}

function checkPullPolicy(s: ServiceConfig): Finding[] {
  const p = s.pull_policy;
  if (p === undefined || p === 'always' || p === 'missing' || p === 'if_not_present') return [];
  return [{ key: 'pull_policy', warn: `pull_policy ${p} is ignored: ECS pulls the image when a task starts` }];
}

// restart "no": one-shot.ts runs such a service as a one-shot job, or says why not
function checkRestart(s: ServiceConfig): Finding[] {
  if (s.restart === undefined || s.restart === 'always' || s.restart === 'unless-stopped' || s.restart === 'no') return [];
  return [{ key: 'restart', warn: `restart ${s.restart} is ignored: ECS replaces every stopped task of a service` }];
}

function checkUlimits(s: ServiceConfig): Finding[] {
  const other = Object.keys(s.ulimits ?? {}).filter((k) => k !== 'nofile').sort();
  return other.length === 0 ? [] : [{ key: 'ulimits', warn: `ulimits ${other.join(', ')} ignored: Fargate only sets nofile` }];
}

function checkVolumes(s: ServiceConfig, project: Project, files: ProjectFiles): Finding[] {
  const out: Finding[] = [];
  for (const [i, v] of (s.volumes ?? []).entries()) {
    const at = `volumes[${i}]`;
    switch (v.type) {
      case 'bind': {
        // config, data folder or left out (bind-mounts.ts); only a refusal is a finding here
        const plan = planBindMount(s, v, project, files);
        if (plan.kind === 'refuse') out.push({ key: 'volumes', at, refuse: plan.reason, ...(plan.hint ? { hint: plan.hint } : {}) });
        break;
      }
      case 'volume':
        // a named volume is an EFS file system (volumes.ts)
        if (!v.source) out.push({ key: 'volumes', warn: `the anonymous volume at ${v.target} lasts as long as the task` });
        else if (v.volume?.subpath) {
          out.push({ key: 'volumes', at, refuse: `mounts subpath ${v.volume.subpath} of volume ${v.source}; ECS mounts a whole EFS volume through its access point`, hint: 'Mount the whole volume, or give the sub-directory its own volume with driver_opts.root_directory.' });
        }
        break;
      case 'tmpfs':
        // task storage, not kept (task-storage.ts)
        break;
      default:
        out.push({ key: 'volumes', at, refuse: `mounts a ${v.type} volume at ${v.target}; Fargate only has task storage` });
    }
  }
  return out;
}

function checkExtensions(s: ServiceConfig): Finding[] {
  return unknownExtensions(s.extensions, '', SERVICE_EXTENSIONS);
}

/** A misspelt x-aws key at any level of a service warns (a typo would otherwise be silently ignored). */
function unknownExtensions(ext: Record<string, unknown> | undefined, level: string, known: readonly string[]): Finding[] {
  const at = (k: string): string => (level ? `${level}.${k}` : k);
  return Object.keys(ext ?? {})
    .filter((k) => k.startsWith('x-aws-') && !known.includes(k))
    .sort()
    .map((k) => ({ key: at(k), warn: `${at(k)} is not an x-aws key this tool knows, and is ignored (known${level ? ` under ${level}` : ''}: ${known.join(', ')})` }));
}

const warn = (reason: string): Verdict => ({ warn: reason });
const accepted = (reason: string): Verdict => ({ accepted: reason });
const mapped = (where: string): Verdict => ({ mapped: where });

export const SERVICE_VERDICTS = {
  name: accepted('the service key itself'),
  origin: accepted('loader bookkeeping'),
  extensions: { check: checkExtensions },

  annotations: warn('ECS has no container annotations'),
  attach: accepted('only affects local log attachment'),
  blkio_config: warn('Fargate has no block IO controls'),
  build: { check: checkBuild },
  cap_add: { check: checkCapAdd },
  cap_drop: mapped('task-definition.ts LinuxParameters.Capabilities.Drop'),
  cgroup: warn('Fargate manages cgroups'),
  cgroup_parent: warn('Fargate manages cgroups'),
  command: mapped('task-definition.ts Command'),
  configs: mapped('task-files.ts files written into the task by its init container'),
  container_name: accepted('ECS names the containers of each task'),
  cpu_count: warn('the task size comes from deploy.resources'),
  cpu_percent: warn('the task size comes from deploy.resources'),
  cpu_period: warn('the task size comes from deploy.resources'),
  cpu_quota: warn('the task size comes from deploy.resources'),
  cpu_rt_period: warn('Fargate has no real-time scheduling'),
  cpu_rt_runtime: warn('Fargate has no real-time scheduling'),
  cpu_shares: warn('the task size comes from deploy.resources'),
  cpus: mapped('fargate-sizes.ts task Cpu'),
  cpuset: warn('Fargate does not pin CPUs'),
  credential_spec: warn('gMSA credential specs are for Windows containers'),
  depends_on: mapped('ecs-service.ts DependsOn'),
  deploy: { check: checkDeploy },
  develop: accepted('only used by docker compose watch'),
  device_cgroup_rules: warn('Fargate has no host devices'),
  devices: { refuse: 'is not supported: Fargate has no host devices' },
  dns: warn('Fargate tasks use the VPC resolver'),
  dns_opt: warn('Fargate tasks use the VPC resolver'),
  dns_search: warn('Fargate tasks use the VPC resolver; other services are reachable by name through Service Connect'),
  domainname: warn('Fargate sets the domain name'),
  entrypoint: mapped('task-definition.ts EntryPoint'),
  env_file: mapped('merged into environment by the loader'),
  environment: mapped('task-definition.ts Environment'),
  expose: mapped('task-definition.ts PortMappings, discovery.ts Service Connect'),
  extends: accepted('resolved by the loader'),
  external_links: warn('there are no external containers on ECS'),
  extra_hosts: warn('awsvpc tasks do not take extra /etc/hosts entries'),
  gpus: { check: checkGpus }, // mapped in gpu-capacity.ts
  group_add: warn('Fargate does not add supplementary groups'),
  healthcheck: { check: checkHealthcheck }, // mapped in task-definition.ts HealthCheck
  hostname: warn('awsvpc tasks take their host name from ECS'),
  image: mapped('task-definition.ts Image'),
  init: mapped('task-definition.ts LinuxParameters.InitProcessEnabled'),
  ipc: warn('Fargate does not share IPC namespaces'),
  isolation: warn('isolation is for Windows containers'),
  label_file: mapped('merged into labels by the loader'),
  labels: mapped('task-definition.ts DockerLabels'),
  links: warn('services reach each other by service name; link aliases do not exist on ECS'),
  logging: { check: checkLogging },
  mac_address: warn('awsvpc tasks get their MAC address from their network interface'),
  mem_limit: mapped('fargate-sizes.ts task Memory'),
  mem_reservation: { check: (s) => (s.deploy?.resources?.reservations?.memory === undefined ? checkMemoryReservation(s) : []) }, // mapped in task-definition.ts MemoryReservation
  mem_swappiness: warn('Fargate has no swap'),
  memswap_limit: warn('Fargate has no swap'),
  models: { refuse: 'needs Docker Model Runner, which ECS does not have' },
  network_mode: { refuse: 'is not supported: Fargate tasks always use awsvpc networking', hint: 'Remove network_mode and use networks.' },
  networks: { check: checkNetworks },
  oom_kill_disable: warn('Fargate manages memory limits'),
  oom_score_adj: warn('Fargate manages memory limits'),
  pid: warn('Fargate does not share the host PID namespace'),
  pids_limit: warn('Fargate has no pids limit'),
  platform: { check: checkPlatform },
  ports: { check: checkPorts },
  post_start: warn('ECS has no lifecycle hooks'),
  pre_stop: warn('ECS has no lifecycle hooks'),
  privileged: { check: checkPrivileged },
  profiles: accepted('applied by the loader'),
  provider: { refuse: 'services only run under docker compose' },
  pull_policy: { check: checkPullPolicy },
  pull_refresh_after: accepted('ECS pulls the image when a task starts'),
  read_only: mapped('task-definition.ts ReadonlyRootFilesystem'),
  restart: { check: checkRestart },
  runtime: warn('Fargate chooses the container runtime'),
  scale: mapped('deployment.ts DesiredCount when deploy.replicas is not set'),
  secrets: mapped('secrets.ts init container writing /run/secrets, execution role'),
  security_opt: warn('Fargate does not take security options'),
  shm_size: warn('Fargate does not size /dev/shm'),
  stdin_open: mapped('task-definition.ts Interactive'),
  stop_grace_period: mapped('task-definition.ts StopTimeout'),
  stop_signal: warn('ECS always stops containers with SIGTERM'),
  storage_opt: warn('Fargate manages task storage'),
  sysctls: { check: checkSysctls }, // mapped in task-definition.ts SystemControls
  tmpfs: mapped('task-storage.ts task volume on the ephemeral storage'),
  tty: mapped('task-definition.ts PseudoTerminal'),
  ulimits: { check: checkUlimits },
  use_api_socket: { refuse: 'is not supported: ECS tasks have no Docker API socket' },
  user: mapped('task-definition.ts User'),
  userns_mode: warn('Fargate manages user namespaces'),
  uts: warn('Fargate does not share the host UTS namespace'),
  volumes: { check: checkVolumes },
  volumes_from: { refuse: 'is not supported: ECS tasks cannot share volumes' },
  working_dir: mapped('task-definition.ts WorkingDirectory'),
} satisfies Record<keyof ServiceConfig, Verdict>;

function isSet(v: unknown): boolean {
  if (v === undefined) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (v !== null && typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** The line a finding points at: its entry's (`volumes[2]`), else its key's, else the service's. */
function findingOrigin(service: ServiceConfig, key: string, at: string | undefined): Origin {
  const entries = service.origin.entries ?? {};
  return (at !== undefined ? entries[at] : undefined) ?? entries[key.split('.')[0]!] ?? service.origin;
}

/**
 * Applies the table to every service (in name order). Every refused key of every service is
 * collected, then all of them are thrown at once (problems.ts); otherwise returns one warning
 * per service and key.
 */
export function checkCompatibility(project: Project, files: ProjectFiles = {}): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const problems: UserError[] = [];
  for (const name of Object.keys(project.services).sort()) {
    const service = project.services[name]!;
    const seen = new Set<string>();
    const keys = (Object.keys(SERVICE_VERDICTS) as (keyof ServiceConfig)[]).sort();
    for (const key of keys) {
      if (!isSet(service[key])) continue;
      const verdict: Verdict = SERVICE_VERDICTS[key];
      const findings: Finding[] =
        'check' in verdict ? verdict.check(service, project, files) : 'warn' in verdict ? [{ key, warn: `${key} is ignored: ${verdict.warn}` }] : 'refuse' in verdict ? [{ key, refuse: verdict.refuse, ...(verdict.hint ? { hint: verdict.hint } : {}) }] : [];
      for (const f of findings) {
        if ('refuse' in f) {
          const origin = findingOrigin(service, f.key, f.at);
          problems.push(
            new UserError(`Service ${name}: ${f.key} ${f.refuse}.`, {
              where: { file: origin.file, line: origin.line, path: `services.${name}.${f.at ?? f.key}` },
              ...(f.hint ? { hint: f.hint } : {}),
            }),
          );
          continue;
        }
        if (seen.has(f.key)) continue;
        seen.add(f.key);
        diagnostics.push(warning(`Service ${name}: ${f.warn}.`, name, f.key));
      }
    }
  }
  throwProblems(problems);
  return diagnostics;
}
