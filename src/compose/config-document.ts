/**
 * The resolved project as `docker compose config` prints it: compose-go's types, field by field
 * in their declaration order, with compose-go's marshalling rules (durations as Go durations,
 * byte sizes and file modes as strings, `command`/`entrypoint` always present in JSON, service
 * `x-*` keys only in YAML, empty structs kept in JSON and dropped in YAML, env_file folded
 * into environment). `$` is doubled by the command afterwards, as docker compose does.
 *
 * Pure: a Project in, a ConfigNode out; config-tree.ts writes it as JSON or YAML.
 */
import { configGoMap, configStruct, type ConfigMap, type ConfigNode } from './config-tree.js';
import type {
  BuildConfig, DeployConfig, DeviceRequest, Extensions, HealthcheckConfig, NetworkConfig, Project, ResourceLimit, ResourceReservation,
  ServiceConfig, ServiceDependency, ServiceHook, ServicePort, ServiceSecretRef, ServiceVolume, Ulimit, UpdateConfig, VolumeConfig, SecretConfig, ConfigObjConfig, ModelConfig,
} from './model.js';

export type ConfigFormat = 'yaml' | 'json';

type Entry = [string, ConfigNode | undefined];

/** Go's time.Duration.String() of a number of milliseconds. */
export function goDuration(ms: number): string {
  let ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  const neg = ns < 0;
  if (neg) ns = -ns;
  let out: string;
  if (ns < 1e9) {
    const [unit, div] = ns < 1e3 ? ['ns', 1] : ns < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    out = `${trimFraction(ns / div)}${unit}`;
  } else {
    const h = Math.floor(ns / 3.6e12);
    const m = Math.floor((ns % 3.6e12) / 6e10);
    const s = (ns % 6e10) / 1e9;
    out = h > 0 ? `${h}h${m}m${trimFraction(s)}s` : m > 0 ? `${m}m${trimFraction(s)}s` : `${trimFraction(s)}s`;
  }
  return neg ? `-${out}` : out;
}

function trimFraction(v: number): string {
  return v.toFixed(9).replace(/\.?0+$/, '');
}

class Printer {
  constructor(readonly format: ConfigFormat) {}

  /** omitempty: '' and absent are left out */
  str(v: string | undefined): string | undefined {
    return v === undefined || v === '' ? undefined : v;
  }
  /** omitempty numbers: 0 is left out */
  num(v: number | undefined): number | undefined {
    return v === undefined || v === 0 ? undefined : v;
  }
  /** omitempty booleans: false is left out */
  flag(v: boolean | undefined): true | undefined {
    return v ? true : undefined;
  }
  /** pointers: only absent is left out */
  ptr<T extends ConfigNode>(v: T | undefined): T | undefined {
    return v;
  }
  dur(ms: number | undefined): string | undefined {
    return ms === undefined ? undefined : goDuration(ms);
  }
  /** Duration held by value (omitempty drops 0) */
  durValue(ms: number | undefined): string | undefined {
    return ms === undefined || ms === 0 ? undefined : goDuration(ms);
  }
  bytes(v: number | undefined): string | undefined {
    return v === undefined || v === 0 ? undefined : String(Math.trunc(v));
  }
  list<T>(v: readonly T[] | undefined, fn: (x: T) => ConfigNode = (x) => x as unknown as ConfigNode): ConfigNode[] | undefined {
    return v === undefined || v.length === 0 ? undefined : v.map(fn);
  }
  map<T>(v: Record<string, T> | undefined, fn: (x: T) => ConfigNode = (x) => x as unknown as ConfigNode): ConfigMap | undefined {
    if (v === undefined) return undefined;
    const keys = Object.keys(v);
    return keys.length === 0 ? undefined : configGoMap(keys.map((k) => [k, fn(v[k]!)]));
  }
  /** `x-*` keys: inline in YAML, absent from JSON (compose-go tags them json:"-") */
  ext(e: Extensions | undefined): Entry[] {
    if (this.format === 'json' || !e) return [];
    return Object.keys(e).sort().map((k) => [k, plain(e[k])]);
  }
  /** a struct held by value: JSON writes it even when empty, yaml.v3 drops an all-zero one */
  valueStruct(m: ConfigMap): ConfigMap | undefined {
    return this.format === 'yaml' && m.entries.length === 0 ? undefined : m;
  }
  struct(entries: Entry[], e?: Extensions): ConfigMap {
    return configStruct([...entries, ...this.ext(e)]);
  }
}

/** Extension values are arbitrary YAML: mappings written in their order, as Go's map[string]any sorts them. */
function plain(v: unknown): ConfigNode {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (typeof v === 'object') return configGoMap(Object.keys(v as object).map((k) => [k, plain((v as Record<string, unknown>)[k])]));
  return v as string | number | boolean;
}

function mode(m: number | undefined): string | undefined {
  return m === undefined ? undefined : `0${m.toString(8)}`;
}

function fileRef(p: Printer, r: ServiceSecretRef): ConfigMap {
  return p.struct([['source', p.str(r.source)], ['target', p.str(r.target)], ['uid', p.str(r.uid)], ['gid', p.str(r.gid)], ['mode', mode(r.mode)]], r.extensions);
}

function ulimits(p: Printer, u: Record<string, Ulimit> | undefined): ConfigMap | undefined {
  return p.map(u, (l) => {
    // the model keeps `nproc: 512` as soft = hard = 512; compose-go prints the single number back
    if (l.soft === l.hard && l.soft !== 0) return l.soft;
    return p.format === 'yaml' ? configStruct([['soft', l.soft], ['hard', l.hard]]) : configStruct([['soft', p.num(l.soft)], ['hard', p.num(l.hard)]]);
  });
}

function hosts(h: Record<string, string[]> | undefined): ConfigNode[] | undefined {
  if (!h) return undefined;
  const out = Object.keys(h).flatMap((k) => h[k]!.map((ip) => `${k}=${ip}`)).sort();
  return out.length === 0 ? undefined : out;
}

function build(p: Printer, b: BuildConfig): ConfigMap {
  return p.struct([
    ['context', p.str(b.context)],
    // compose-go's defaults pass: Dockerfile unless an inline one is given
    ['dockerfile', p.str(b.dockerfile ?? (b.dockerfile_inline === undefined ? 'Dockerfile' : undefined))],
    ['dockerfile_inline', p.str(b.dockerfile_inline)],
    ['entitlements', p.list(b.entitlements)],
    ['args', p.map(b.args)],
    ['provenance', p.str(b.provenance === undefined ? undefined : String(b.provenance))],
    ['sbom', p.str(b.sbom === undefined ? undefined : String(b.sbom))],
    ['ssh', p.list(b.ssh)],
    ['labels', p.map(b.labels)],
    ['cache_from', p.list(b.cache_from)],
    ['cache_to', p.list(b.cache_to)],
    ['no_cache', p.flag(b.no_cache)],
    ['additional_contexts', p.map(b.additional_contexts)],
    ['pull', p.flag(b.pull)],
    ['extra_hosts', hosts(b.extra_hosts)],
    ['isolation', p.str(b.isolation)],
    ['network', p.str(b.network)],
    ['target', p.str(b.target)],
    ['secrets', p.list(b.secrets, (r) => fileRef(p, r))],
    ['shm_size', p.bytes(b.shm_size)],
    ['tags', p.list(b.tags)],
    ['ulimits', ulimits(p, b.ulimits)],
    ['platforms', p.list(b.platforms)],
    ['privileged', p.flag(b.privileged)],
  ], b.extensions);
}

function hook(p: Printer, h: ServiceHook): ConfigMap {
  return p.struct([
    ['command', p.format === 'json' ? (h.command ?? null) : p.list(h.command)],
    ['user', p.str(h.user)],
    ['privileged', p.flag(h.privileged)],
    ['working_dir', p.str(h.working_dir)],
    ['environment', p.map(h.environment)],
  ], h.extensions);
}

function deviceRequest(p: Printer, d: DeviceRequest): ConfigMap {
  return p.struct([
    ['capabilities', p.list(d.capabilities)],
    ['driver', p.str(d.driver)],
    ['count', p.num(d.count)],
    ['device_ids', p.list(d.device_ids)],
    ['options', p.map(d.options)],
  ]);
}

function healthcheck(p: Printer, h: HealthcheckConfig): ConfigMap {
  return p.struct([
    ['test', p.list(h.test)],
    ['timeout', p.dur(h.timeout)],
    ['interval', p.dur(h.interval)],
    ['retries', p.ptr(h.retries)],
    ['start_period', p.dur(h.start_period)],
    ['start_interval', p.dur(h.start_interval)],
    ['disable', p.flag(h.disable)],
  ], h.extensions);
}

function updateConfig(p: Printer, u: UpdateConfig): ConfigMap {
  return p.struct([
    ['parallelism', p.ptr(u.parallelism)],
    ['delay', p.durValue(u.delay)],
    ['failure_action', p.str(u.failure_action)],
    ['monitor', p.durValue(u.monitor)],
    ['max_failure_ratio', p.num(u.max_failure_ratio)],
    ['order', p.str(u.order)],
  ], u.extensions);
}

function resource(p: Printer, r: ResourceLimit & Partial<ResourceReservation>): ConfigMap {
  return p.struct([
    ['cpus', p.num(r.cpus)],
    ['memory', p.bytes(r.memory)],
    ['pids', p.num(r.pids)],
    ['devices', p.list(r.devices, (d) => deviceRequest(p, d))],
    ['generic_resources', p.list(r.generic_resources, (g) => p.struct([
      ['discrete_resource_spec', g.discrete_resource_spec ? p.struct([['kind', g.discrete_resource_spec.kind], ['value', g.discrete_resource_spec.value]], g.discrete_resource_spec.extensions) : undefined],
    ], g.extensions))],
  ], r.extensions);
}

function deploy(p: Printer, d: DeployConfig): ConfigMap {
  const res = d.resources;
  const placement = d.placement;
  return p.struct([
    ['mode', p.str(d.mode)],
    ['replicas', p.ptr(d.replicas)],
    ['labels', p.map(d.labels)],
    ['update_config', d.update_config ? updateConfig(p, d.update_config) : undefined],
    ['rollback_config', d.rollback_config ? updateConfig(p, d.rollback_config) : undefined],
    ['resources', p.valueStruct(p.struct([
      ['limits', res?.limits ? resource(p, res.limits) : undefined],
      ['reservations', res?.reservations ? resource(p, res.reservations) : undefined],
    ], res?.extensions))],
    ['restart_policy', d.restart_policy ? p.struct([
      ['condition', p.str(d.restart_policy.condition)],
      ['delay', p.dur(d.restart_policy.delay)],
      ['max_attempts', p.ptr(d.restart_policy.max_attempts)],
      ['window', p.dur(d.restart_policy.window)],
    ], d.restart_policy.extensions) : undefined],
    ['placement', p.valueStruct(p.struct([
      ['constraints', p.list(placement?.constraints)],
      ['preferences', p.list(placement?.preferences, (x) => p.struct([['spread', p.str(x.spread)]], x.extensions))],
      ['max_replicas_per_node', p.num(placement?.max_replicas_per_node)],
    ], placement?.extensions))],
    ['endpoint_mode', p.str(d.endpoint_mode)],
  ], d.extensions);
}

function port(p: Printer, x: ServicePort): ConfigMap {
  return p.struct([
    ['name', p.str(x.name)],
    ['mode', p.str(x.mode ?? 'ingress')],
    ['host_ip', p.str(x.host_ip)],
    ['target', p.num(x.target)],
    ['published', p.str(x.published)],
    ['protocol', p.str(x.protocol)],
    ['app_protocol', p.str(x.app_protocol)],
  ], x.extensions);
}

function volumeMount(p: Printer, v: ServiceVolume): ConfigMap {
  return p.struct([
    ['type', p.str(v.type)],
    ['source', p.str(v.source)],
    ['target', p.str(v.target)],
    ['read_only', p.flag(v.read_only)],
    ['consistency', p.str(v.consistency)],
    ['bind', v.bind ? p.struct([
      ['selinux', p.str(v.bind.selinux)],
      ['propagation', p.str(v.bind.propagation)],
      ['create_host_path', p.flag(v.bind.create_host_path)],
      ['recursive', p.str(v.bind.recursive)],
    ], v.bind.extensions) : undefined],
    ['volume', v.volume ? p.struct([
      ['labels', p.map(v.volume.labels)],
      ['nocopy', p.flag(v.volume.nocopy)],
      ['subpath', p.str(v.volume.subpath)],
    ], v.volume.extensions) : undefined],
    ['tmpfs', v.tmpfs ? p.struct([['size', p.bytes(v.tmpfs.size)], ['mode', p.num(v.tmpfs.mode)]], v.tmpfs.extensions) : undefined],
    ['image', v.image ? p.struct([['subpath', p.str(v.image.subpath)]], v.image.extensions) : undefined],
  ], v.extensions);
}

/**
 * compose-go's normalisation adds the services a service needs to depends_on: `links`
 * (restart: true), `network_mode`/`ipc`/`pid`/`uts`/`cgroup: service:X` (restart: true) and
 * `volumes_from` (restart: false), each required, unless depends_on already names it.
 */
function impliedDependencies(s: ServiceConfig): Record<string, ServiceDependency> | undefined {
  const out: Record<string, ServiceDependency> = { ...(s.depends_on ?? {}) };
  const add = (name: string, restart: boolean) => {
    if (!(name in out)) out[name] = { condition: 'service_started', required: true, restart };
  };
  for (const link of s.links ?? []) {
    const parts = link.split(':');
    add(parts.length === 2 ? parts[0]! : link, true);
  }
  for (const ns of [s.network_mode, s.ipc, s.pid, s.uts, s.cgroup]) if (ns?.startsWith('service:')) add(ns.slice('service:'.length), true);
  for (const from of s.volumes_from ?? []) if (!from.startsWith('container:')) add(from.split(':')[0]!, false);
  return Object.keys(out).length > 0 ? out : undefined;
}

function service(p: Printer, s: ServiceConfig): ConfigMap {
  const command = (c: string[] | null | undefined): ConfigNode | undefined =>
    p.format === 'json' ? (c === undefined ? null : c === null ? [] : c) : c === undefined || c === null || c.length === 0 ? undefined : c;
  return p.struct([
    ['profiles', p.list(s.profiles)],
    ['annotations', p.map(s.annotations)],
    ['attach', p.ptr(s.attach)],
    ['build', s.build ? build(p, s.build) : undefined],
    ['develop', s.develop ? p.struct([
      ['watch', p.list(s.develop.watch, (w) => p.struct([
        ['path', w.path],
        ['action', w.action],
        ['target', p.str(w.target)],
        ['exec', w.exec ? hook(p, w.exec) : undefined],
        ['include', p.list(w.include)],
        ['ignore', p.list(w.ignore)],
        ['initial_sync', p.flag(w.initial_sync)],
      ], w.extensions))],
    ], s.develop.extensions) : undefined],
    ['blkio_config', s.blkio_config ? p.struct([
      ['weight', p.num(s.blkio_config.weight)],
      ['weight_device', p.list(s.blkio_config.weight_device, (w) => configStruct([['path', w.path], ['weight', w.weight]]))],
      ...(['device_read_bps', 'device_read_iops', 'device_write_bps', 'device_write_iops'] as const).map((k): Entry => [
        k, p.list(s.blkio_config![k], (t) => configStruct([['path', t.path], ['rate', String(t.rate)]])),
      ]),
    ]) : undefined],
    ['cap_add', p.list(s.cap_add)],
    ['cap_drop', p.list(s.cap_drop)],
    ['cgroup_parent', p.str(s.cgroup_parent)],
    ['cgroup', p.str(s.cgroup)],
    ['cpu_count', p.num(s.cpu_count)],
    ['cpu_percent', p.num(s.cpu_percent)],
    ['cpu_period', p.num(s.cpu_period)],
    ['cpu_quota', p.num(s.cpu_quota)],
    ['cpu_rt_period', p.num(s.cpu_rt_period)],
    ['cpu_rt_runtime', p.num(s.cpu_rt_runtime)],
    ['cpus', p.num(s.cpus)],
    ['cpuset', p.str(s.cpuset)],
    ['cpu_shares', p.num(s.cpu_shares)],
    ['command', command(s.command)],
    ['configs', p.list(s.configs, (r) => fileRef(p, r))],
    ['container_name', p.str(s.container_name)],
    ['credential_spec', s.credential_spec ? p.struct([
      ['config', p.str(s.credential_spec.config)], ['file', p.str(s.credential_spec.file)], ['registry', p.str(s.credential_spec.registry)],
    ], s.credential_spec.extensions) : undefined],
    ['depends_on', p.map(impliedDependencies(s), (d) => p.struct([['condition', p.str(d.condition)], ['restart', p.flag(d.restart)], ['required', d.required]], d.extensions))],
    ['deploy', s.deploy ? deploy(p, s.deploy) : undefined],
    ['device_cgroup_rules', p.list(s.device_cgroup_rules)],
    ['devices', p.list(s.devices, (d) => p.struct([['source', p.str(d.source)], ['target', p.str(d.target)], ['permissions', p.str(d.permissions)]]))],
    ['dns', p.list(s.dns)],
    ['dns_opt', p.list(s.dns_opt)],
    ['dns_search', p.list(s.dns_search)],
    ['domainname', p.str(s.domainname)],
    ['entrypoint', command(s.entrypoint)],
    ['provider', s.provider ? p.struct([
      ['type', p.str(s.provider.type)],
      ['options', p.map(s.provider.options, (o) => (Array.isArray(o) ? o.map(String) : [String(o)]))],
    ], s.provider.extensions) : undefined],
    ['environment', p.map(s.environment)],
    // env_file is left out: its values are in environment already (compose's WithServicesEnvironmentResolved(true))
    ['expose', p.list(s.expose)],
    // extends is resolved by then: compose-go's model no longer has it
    ['external_links', p.list(s.external_links)],
    ['extra_hosts', hosts(s.extra_hosts)],
    ['group_add', p.list(s.group_add)],
    ['gpus', p.list(s.gpus, (d) => deviceRequest(p, d))],
    ['hostname', p.str(s.hostname)],
    ['healthcheck', s.healthcheck ? healthcheck(p, s.healthcheck) : undefined],
    ['image', p.str(s.image)],
    ['init', p.ptr(s.init)],
    ['ipc', p.str(s.ipc)],
    ['isolation', p.str(s.isolation)],
    ['labels', p.map(s.labels)],
    ['label_file', p.list(s.label_file)],
    ['links', p.list(s.links)],
    ['logging', s.logging ? p.struct([['driver', p.str(s.logging.driver)], ['options', p.map(s.logging.options)]], s.logging.extensions) : undefined],
    ['mem_limit', p.bytes(s.mem_limit)],
    ['mem_reservation', p.bytes(s.mem_reservation)],
    ['memswap_limit', p.bytes(s.memswap_limit)],
    ['mem_swappiness', p.bytes(s.mem_swappiness)],
    ['mac_address', p.str(s.mac_address)],
    ['models', p.map(s.models, (m) => (m === null ? null : p.struct([['endpoint_var', p.str(m.endpoint_var)], ['model_var', p.str(m.model_var)]], m.extensions)))],
    ['network_mode', p.str(s.network_mode)],
    ['networks', p.map(s.networks, (n) => (n === null ? null : p.struct([
      ['aliases', p.list(n.aliases)],
      ['driver_opts', p.map(n.driver_opts)],
      ['gw_priority', p.num(n.gw_priority)],
      ['interface_name', p.str(n.interface_name)],
      ['ipv4_address', p.str(n.ipv4_address)],
      ['ipv6_address', p.str(n.ipv6_address)],
      ['link_local_ips', p.list(n.link_local_ips)],
      ['mac_address', p.str(n.mac_address)],
      ['priority', p.num(n.priority)],
    ], n.extensions)))],
    ['oom_kill_disable', p.flag(s.oom_kill_disable)],
    ['oom_score_adj', p.num(s.oom_score_adj)],
    ['pid', p.str(s.pid)],
    ['pids_limit', p.num(s.pids_limit)],
    ['platform', p.str(s.platform)],
    ['ports', p.list(s.ports, (x) => port(p, x))],
    ['privileged', p.flag(s.privileged)],
    ['pull_policy', p.str(s.pull_policy)],
    ['read_only', p.flag(s.read_only)],
    ['restart', p.str(s.restart)],
    ['runtime', p.str(s.runtime)],
    ['scale', p.ptr(s.scale)],
    // compose-go's defaults pass: a secret is mounted at /run/secrets/<source> unless told otherwise
    ['secrets', p.list(s.secrets, (r) => fileRef(p, { ...r, target: r.target ?? `/run/secrets/${r.source}` }))],
    ['security_opt', p.list(s.security_opt)],
    ['shm_size', p.bytes(s.shm_size)],
    ['stdin_open', p.flag(s.stdin_open)],
    ['stop_grace_period', p.dur(s.stop_grace_period)],
    ['stop_signal', p.str(s.stop_signal)],
    ['storage_opt', p.map(s.storage_opt)],
    ['sysctls', p.map(s.sysctls)],
    ['tmpfs', p.list(s.tmpfs)],
    ['tty', p.flag(s.tty)],
    ['ulimits', ulimits(p, s.ulimits)],
    ['use_api_socket', p.flag(s.use_api_socket)],
    ['user', p.str(s.user)],
    ['userns_mode', p.str(s.userns_mode)],
    ['uts', p.str(s.uts)],
    ['volumes', p.list(s.volumes, (v) => volumeMount(p, v))],
    ['volumes_from', p.list(s.volumes_from)],
    ['working_dir', p.str(s.working_dir)],
    ['post_start', p.list(s.post_start, (h) => hook(p, h))],
    ['pre_stop', p.list(s.pre_stop, (h) => hook(p, h))],
  ], s.extensions);
}

function network(p: Printer, n: NetworkConfig): ConfigMap {
  const ipam = n.ipam;
  return p.struct([
    ['name', p.str(n.name)],
    ['driver', p.str(n.driver)],
    ['driver_opts', p.map(n.driver_opts)],
    ['ipam', p.valueStruct(p.struct([
      ['driver', p.str(ipam?.driver)],
      ['config', p.list(ipam?.config, (c) => p.struct([
        ['subnet', p.str(c.subnet)], ['gateway', p.str(c.gateway)], ['ip_range', p.str(c.ip_range)], ['aux_addresses', p.map(c.aux_addresses)],
      ], c.extensions))],
    ], ipam?.extensions))],
    ['external', p.flag(n.external)],
    ['internal', p.flag(n.internal)],
    ['attachable', p.flag(n.attachable)],
    ['labels', p.map(n.labels)],
    ['enable_ipv4', p.ptr(n.enable_ipv4)],
    ['enable_ipv6', p.ptr(n.enable_ipv6)],
  ], n.extensions);
}

function volume(p: Printer, v: VolumeConfig): ConfigMap {
  return p.struct([
    ['name', p.str(v.name)], ['driver', p.str(v.driver)], ['driver_opts', p.map(v.driver_opts)], ['external', p.flag(v.external)], ['labels', p.map(v.labels)],
  ], v.extensions);
}

function fileObject(p: Printer, o: SecretConfig | ConfigObjConfig, content: string | undefined): ConfigMap {
  return p.struct([
    ['name', p.str(o.name)],
    ['file', p.str(o.file)],
    ['environment', p.str(o.environment)],
    ['content', p.str(content)],
    ['external', p.flag(o.external)],
    ['labels', p.map(o.labels)],
    ['driver', p.str((o as SecretConfig).driver)],
    ['driver_opts', p.map((o as SecretConfig).driver_opts)],
    ['template_driver', p.str(o.template_driver)],
  ], o.extensions);
}

function model(p: Printer, m: ModelConfig): ConfigMap {
  return p.struct([['name', p.str(m.name)], ['model', p.str(m.model)], ['context_size', p.num(m.context_size)], ['runtime_flags', p.list(m.runtime_flags)]], m.extensions);
}

/**
 * The document `docker compose config` writes. JSON is compose-go's Project.MarshalJSON (a map:
 * keys sorted, top-level `x-*` keys included, no models); YAML is the Project struct through
 * yaml.v3 (name, services, networks, volumes, secrets, configs, models, then `x-*` keys).
 */
export function configDocument(project: Project, format: ConfigFormat): ConfigMap {
  const p = new Printer(format);
  const services = configGoMap(Object.keys(project.services).map((k) => [k, service(p, project.services[k]!)]));
  const networks = p.map(project.networks, (n) => network(p, n));
  const volumes = p.map(project.volumes, (v) => volume(p, v));
  const secrets = p.map(project.secrets, (s) => fileObject(p, s, undefined));
  const configs = p.map(project.configs, (c) => fileObject(p, c, c.environment ? undefined : c.content));
  const top = Object.keys(project.extensions).sort().map((k): [string, ConfigNode] => [k, plain(project.extensions[k])]);
  if (format === 'json') {
    return configGoMap(([
      ['name', project.name], ['services', services], ['networks', networks], ['volumes', volumes], ['secrets', secrets], ['configs', configs], ...top,
    ] as Entry[]).filter((e): e is [string, ConfigNode] => e[1] !== undefined));
  }
  return configStruct([
    ['name', p.str(project.name)],
    ['services', services],
    ['networks', networks],
    ['volumes', volumes],
    ['secrets', secrets],
    ['configs', configs],
    ['models', p.map(project.models, (m) => model(p, m))],
    ...top,
  ]);
}
