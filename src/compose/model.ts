/**
 * The normalised compose model: what `load()` returns and what `convert/` reads.
 *
 * Key names are the compose-spec's own (snake_case), so a key in a compose file and the field
 * that holds it have the same name. Only long forms appear here: every short syntax is expanded
 * by the loader (ports, volumes, environment, depends_on, secrets, configs, networks, ...).
 *
 * Units, once for the whole model:
 * - durations are numbers of MILLISECONDS (`1m30s` -> 90000; `500us` -> 0.5, so a value may be
 *   fractional only when the file used a sub-millisecond unit);
 * - memory and other byte sizes are numbers of BYTES (`512m` -> 536870912);
 * - cpus are plain numbers of CPUs (`"0.5"` -> 0.5).
 *
 * `x-*` keys are kept verbatim (values after interpolation) in an `extensions` record wherever the
 * spec allows them: top level, services, ports, deploy and its children, networks, volumes,
 * secrets, configs, and the other long-form objects marked below. A key present in the file and
 * absent here means the loader dropped it, which it never does for a key the schema accepts.
 */

/** `x-*` keys of one mapping, verbatim. Never contains keys without the `x-` prefix. */
export type Extensions = Record<string, unknown>;

/** Where a value came from; kept for every service and top-level resource so later errors point at the file. */
export interface Origin {
  file: string;
  line?: number;
  column?: number;
  /**
   * Services only: where each key (`volumes`) and each item of a list key (`volumes[2]`) was
   * written, so a refusal of one bind mount names its own line.
   */
  entries?: Record<string, Origin>;
}

export interface Project {
  /** normalised project name (lowercase, `[a-z0-9_-]`, starts with a letter or digit) */
  name: string;
  /** absolute project directory; relative paths in the model are already resolved against it */
  workingDir: string;
  /** absolute paths of the compose files that were loaded, in order (includes not listed) */
  composeFiles: string[];
  /** enabled services only (profiles applied), sorted by name */
  services: Record<string, ServiceConfig>;
  /** services left out because of their profiles, by name (kept so commands can explain) */
  disabledServices: Record<string, ServiceConfig>;
  networks: Record<string, NetworkConfig>;
  volumes: Record<string, VolumeConfig>;
  secrets: Record<string, SecretConfig>;
  configs: Record<string, ConfigObjConfig>;
  models: Record<string, ModelConfig>;
  /** profiles that were asked for (`--profile`, COMPOSE_PROFILES), sorted */
  profiles: string[];
  /** variables the interpolation saw: `.env`/--env-file values overlaid by the process env */
  environment: Record<string, string>;
  /** top-level `x-*` keys */
  extensions: Extensions;
  /** non-fatal findings (obsolete `version`, ...), in file order; commands decide how to show them */
  warnings: LoadWarning[];
}

export interface LoadWarning {
  message: string;
  file?: string;
  line?: number;
  path?: string;
}

// ---------------------------------------------------------------------------------------------
// Services

export type RestartPolicyName = 'no' | 'always' | 'on-failure' | `on-failure:${number}` | 'unless-stopped' | string;

export interface ServiceConfig {
  /** the service's key under `services` */
  name: string;
  /** where the service was defined (after extends/merge: the file that defined it last) */
  origin: Origin;

  annotations?: Record<string, string>;
  attach?: boolean;
  blkio_config?: BlkioConfig;
  build?: BuildConfig;
  cap_add?: string[];
  cap_drop?: string[];
  cgroup?: 'host' | 'private' | string;
  cgroup_parent?: string;
  /** null = explicitly empty (`command: []` or `command: ""`); absent = image default */
  command?: string[] | null;
  configs?: ServiceConfigRef[];
  container_name?: string;
  cpu_count?: number;
  cpu_percent?: number;
  cpu_period?: number;
  cpu_quota?: number;
  cpu_rt_period?: number;
  cpu_rt_runtime?: number;
  cpu_shares?: number;
  cpus?: number;
  cpuset?: string;
  credential_spec?: CredentialSpec;
  depends_on?: Record<string, ServiceDependency>;
  deploy?: DeployConfig;
  develop?: DevelopConfig;
  device_cgroup_rules?: string[];
  devices?: DeviceMapping[];
  dns?: string[];
  dns_opt?: string[];
  dns_search?: string[];
  domainname?: string;
  /** null = explicitly empty; absent = image default */
  entrypoint?: string[] | null;
  /** env files as given (paths absolute); their values are already merged into `environment` */
  env_file?: EnvFile[];
  /** null value = the variable is declared without a value and the environment had none */
  environment?: Record<string, string | null>;
  /** container ports as strings, e.g. "3000" or "8000-8010/udp" as written */
  expose?: string[];
  /** extends is resolved by the loader; kept only as a record of where the service came from */
  extends?: ExtendsConfig;
  external_links?: string[];
  /** host -> IPs */
  extra_hosts?: Record<string, string[]>;
  gpus?: DeviceRequest[];
  group_add?: string[];
  healthcheck?: HealthcheckConfig;
  hostname?: string;
  image?: string;
  init?: boolean;
  ipc?: string;
  isolation?: string;
  label_file?: string[];
  labels?: Record<string, string>;
  links?: string[];
  logging?: LoggingConfig;
  mac_address?: string;
  mem_limit?: number;
  mem_reservation?: number;
  mem_swappiness?: number;
  memswap_limit?: number;
  models?: Record<string, ServiceModelConfig | null>;
  network_mode?: string;
  /** network name -> attachment options (null when the service only joins it) */
  networks?: Record<string, ServiceNetworkConfig | null>;
  oom_kill_disable?: boolean;
  oom_score_adj?: number;
  pid?: string;
  pids_limit?: number;
  platform?: string;
  ports?: ServicePort[];
  post_start?: ServiceHook[];
  pre_stop?: ServiceHook[];
  privileged?: boolean;
  profiles?: string[];
  provider?: ProviderConfig;
  pull_policy?: 'always' | 'never' | 'missing' | 'if_not_present' | 'build' | 'daily' | 'weekly' | string;
  pull_refresh_after?: string;
  read_only?: boolean;
  restart?: RestartPolicyName;
  runtime?: string;
  scale?: number;
  secrets?: ServiceSecretRef[];
  security_opt?: string[];
  shm_size?: number;
  stdin_open?: boolean;
  /** milliseconds */
  stop_grace_period?: number;
  stop_signal?: string;
  storage_opt?: Record<string, string>;
  sysctls?: Record<string, string>;
  tmpfs?: string[];
  tty?: boolean;
  ulimits?: Record<string, Ulimit>;
  use_api_socket?: boolean;
  user?: string;
  userns_mode?: string;
  uts?: string;
  volumes?: ServiceVolume[];
  volumes_from?: string[];
  working_dir?: string;

  /** the service's `x-*` keys, e.g. `extensions['x-aws-role']` */
  extensions: Extensions;
}

/** Service keys the model has; `keyof ServiceConfig` minus the loader's bookkeeping fields. */
export type ServiceKey = Exclude<keyof ServiceConfig, 'name' | 'origin' | 'extensions'>;

export interface ServicePort {
  /** container port (for a range, one entry per port) */
  target: number;
  /** host port or host range as text ("8080", "8000-8010"); absent = not published */
  published?: string;
  host_ip?: string;
  protocol: 'tcp' | 'udp' | string;
  mode?: 'ingress' | 'host' | string;
  app_protocol?: string;
  name?: string;
  extensions?: Extensions;
}

export type VolumeType = 'volume' | 'bind' | 'tmpfs' | 'npipe' | 'cluster' | 'image';

export interface ServiceVolume {
  type: VolumeType;
  /** volume name, absolute host path for a bind, image reference; absent for tmpfs and anonymous volumes */
  source?: string;
  target: string;
  read_only?: boolean;
  consistency?: string;
  bind?: { propagation?: string; create_host_path?: boolean; recursive?: string; selinux?: 'z' | 'Z'; extensions?: Extensions };
  volume?: { nocopy?: boolean; subpath?: string; labels?: Record<string, string>; extensions?: Extensions };
  /** size in bytes; mode as a number (octal in the file) */
  tmpfs?: { size?: number; mode?: number; extensions?: Extensions };
  image?: { subpath?: string; extensions?: Extensions };
  extensions?: Extensions;
}

export interface EnvFile {
  /** absolute path */
  path: string;
  required: boolean;
  format?: string;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export interface ServiceDependency {
  condition: DependencyCondition;
  required: boolean;
  restart: boolean;
  extensions?: Extensions;
}

export interface HealthcheckConfig {
  /** ["CMD", ...], ["CMD-SHELL", "..."] or ["NONE"]; a string test becomes ["CMD-SHELL", test] */
  test?: string[];
  /** milliseconds */
  interval?: number;
  /** milliseconds */
  timeout?: number;
  retries?: number;
  /** milliseconds */
  start_period?: number;
  /** milliseconds */
  start_interval?: number;
  disable?: boolean;
  extensions?: Extensions;
}

/** A service's reference to a top-level secret (target defaults to the source name). */
export interface ServiceSecretRef {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  /** file mode as a number (e.g. 0o440 = 288) */
  mode?: number;
  extensions?: Extensions;
}

/** A service's reference to a top-level config. */
export type ServiceConfigRef = ServiceSecretRef;

export interface ServiceNetworkConfig {
  aliases?: string[];
  interface_name?: string;
  ipv4_address?: string;
  ipv6_address?: string;
  link_local_ips?: string[];
  mac_address?: string;
  driver_opts?: Record<string, string>;
  priority?: number;
  gw_priority?: number;
  extensions?: Extensions;
}

export interface ServiceModelConfig {
  endpoint_var?: string;
  model_var?: string;
  extensions?: Extensions;
}

export interface Ulimit {
  soft: number;
  hard: number;
}

export interface LoggingConfig {
  driver?: string;
  options?: Record<string, string | null>;
  extensions?: Extensions;
}

export interface BuildConfig {
  /** absolute path or URL */
  context: string;
  dockerfile?: string;
  dockerfile_inline?: string;
  entitlements?: string[];
  args?: Record<string, string | null>;
  ssh?: string[];
  labels?: Record<string, string>;
  cache_from?: string[];
  cache_to?: string[];
  no_cache?: boolean;
  no_cache_filter?: string[];
  additional_contexts?: Record<string, string>;
  network?: string;
  provenance?: string | boolean;
  sbom?: string | boolean;
  pull?: boolean;
  target?: string;
  shm_size?: number;
  extra_hosts?: Record<string, string[]>;
  isolation?: string;
  privileged?: boolean;
  secrets?: ServiceSecretRef[];
  tags?: string[];
  ulimits?: Record<string, Ulimit>;
  platforms?: string[];
  extensions?: Extensions;
}

export interface BlkioLimit {
  path: string;
  /** bytes per second or IO per second, per the key */
  rate: number;
}

export interface BlkioConfig {
  device_read_bps?: BlkioLimit[];
  device_read_iops?: BlkioLimit[];
  device_write_bps?: BlkioLimit[];
  device_write_iops?: BlkioLimit[];
  weight?: number;
  weight_device?: { path: string; weight: number }[];
}

export interface CredentialSpec {
  config?: string;
  file?: string;
  registry?: string;
  extensions?: Extensions;
}

export interface DeviceMapping {
  source: string;
  target: string;
  permissions: string;
}

export interface ExtendsConfig {
  service: string;
  /** absolute path of the file the base service came from (absent = same file) */
  file?: string;
}

export interface ServiceHook {
  command: string[];
  user?: string;
  privileged?: boolean;
  working_dir?: string;
  environment?: Record<string, string | null>;
  extensions?: Extensions;
}

export interface ProviderConfig {
  type: string;
  options?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  extensions?: Extensions;
}

export interface DevelopConfig {
  watch?: WatchRule[];
  extensions?: Extensions;
}

export interface WatchRule {
  path: string;
  action: 'rebuild' | 'sync' | 'restart' | 'sync+restart' | 'sync+exec';
  target?: string;
  ignore?: string[];
  include?: string[];
  exec?: ServiceHook;
  initial_sync?: boolean;
  extensions?: Extensions;
}

// ---------------------------------------------------------------------------------------------
// deploy

export interface DeployConfig {
  mode?: 'replicated' | 'global' | string;
  endpoint_mode?: 'vip' | 'dnsrr' | string;
  replicas?: number;
  labels?: Record<string, string>;
  rollback_config?: UpdateConfig;
  update_config?: UpdateConfig;
  resources?: Resources;
  restart_policy?: RestartPolicy;
  placement?: Placement;
  /** deploy's own `x-*` keys, e.g. `x-aws-autoscaling` */
  extensions?: Extensions;
}

export interface UpdateConfig {
  parallelism?: number;
  /** milliseconds */
  delay?: number;
  failure_action?: string;
  /** milliseconds */
  monitor?: number;
  max_failure_ratio?: number;
  order?: 'start-first' | 'stop-first';
  extensions?: Extensions;
}

export interface Resources {
  limits?: ResourceLimit;
  reservations?: ResourceReservation;
  extensions?: Extensions;
}

export interface ResourceLimit {
  cpus?: number;
  /** bytes */
  memory?: number;
  pids?: number;
  extensions?: Extensions;
}

export interface ResourceReservation {
  cpus?: number;
  /** bytes */
  memory?: number;
  generic_resources?: GenericResource[];
  devices?: DeviceRequest[];
  extensions?: Extensions;
}

export interface GenericResource {
  discrete_resource_spec?: { kind: string; value: number; extensions?: Extensions };
  extensions?: Extensions;
}

export interface DeviceRequest {
  capabilities: string[];
  /** -1 = all */
  count?: number;
  device_ids?: string[];
  driver?: string;
  options?: Record<string, string>;
  extensions?: Extensions;
}

export interface RestartPolicy {
  condition?: 'none' | 'on-failure' | 'any' | string;
  /** milliseconds */
  delay?: number;
  max_attempts?: number;
  /** milliseconds */
  window?: number;
  extensions?: Extensions;
}

export interface Placement {
  constraints?: string[];
  preferences?: { spread: string; extensions?: Extensions }[];
  max_replicas_per_node?: number;
  extensions?: Extensions;
}

// ---------------------------------------------------------------------------------------------
// Top-level resources

/** `external: true` resources keep their `name` (defaulting to the key) and nothing is created. */
export interface NetworkConfig {
  /** the actual network name: `name:` if given, else `<project>_<key>` (external: the key) */
  name: string;
  origin?: Origin;
  driver?: string;
  driver_opts?: Record<string, string>;
  ipam?: {
    driver?: string;
    config?: { subnet?: string; ip_range?: string; gateway?: string; aux_addresses?: Record<string, string>; extensions?: Extensions }[];
    options?: Record<string, string>;
    extensions?: Extensions;
  };
  external?: boolean;
  internal?: boolean;
  enable_ipv4?: boolean;
  enable_ipv6?: boolean;
  attachable?: boolean;
  labels?: Record<string, string>;
  extensions: Extensions;
}

export interface VolumeConfig {
  /** the actual volume name: `name:` if given, else `<project>_<key>` (external: the key) */
  name: string;
  origin?: Origin;
  driver?: string;
  driver_opts?: Record<string, string>;
  external?: boolean;
  labels?: Record<string, string>;
  extensions: Extensions;
}

export interface SecretConfig {
  /** `name:` if given, else `<project>_<key>` (external: the key) */
  name: string;
  origin?: Origin;
  /** absolute path */
  file?: string;
  /** name of the environment variable holding the value (never the value itself) */
  environment?: string;
  external?: boolean;
  labels?: Record<string, string>;
  driver?: string;
  driver_opts?: Record<string, string>;
  template_driver?: string;
  extensions: Extensions;
}

export interface ConfigObjConfig {
  name: string;
  origin?: Origin;
  /** absolute path */
  file?: string;
  environment?: string;
  content?: string;
  external?: boolean;
  labels?: Record<string, string>;
  template_driver?: string;
  extensions: Extensions;
}

export interface ModelConfig {
  name?: string;
  model: string;
  context_size?: number;
  runtime_flags?: string[];
  extensions: Extensions;
}

// ---------------------------------------------------------------------------------------------
// The load API (implemented in load.ts)

/** How the loader reads files; the only way it touches the file system. */
export interface FileReader {
  readFile(path: string): string;
  exists(path: string): boolean;
  /**
   * What makes a path that is there unreadable as a text file, as the end of a sentence ("is a
   * directory", "is a named pipe", "is a device" ...), checked without opening it, so the message
   * can name the compose file, line and key that named the path; undefined when it reads (or is
   * missing, which `exists` says).
   */
  problem?(path: string): string | undefined;
  readStdin?(): string;
  realpath?(p: string): string;
}

export interface LoadOptions {
  /** absolute working directory of the command */
  cwd: string;
  /** the process environment, handed in (the loader never reads process.env) */
  env: Record<string, string | undefined>;
  /** -f values in order; `-` reads stdin */
  files?: string[];
  /** -p */
  projectName?: string;
  /** --project-directory */
  projectDirectory?: string;
  /** --env-file values in order (relative to cwd) */
  envFiles?: string[];
  /** --profile values */
  profiles?: string[];
  reader: FileReader;
}
