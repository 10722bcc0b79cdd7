/**
 * Last pass, bind: the merged raw tree (canonical forms, interpolated, paths resolved) becomes
 * the typed model of `model.ts`. This is where the real types are checked, after interpolation:
 * the schema accepted `replicas: "${N}"`; here "three" is rejected with its file and line.
 */
import type {
  BlkioConfig, BuildConfig, ConfigObjConfig, CredentialSpec, DeployConfig, DeviceMapping, DeviceRequest, DevelopConfig,
  EnvFile, Extensions, HealthcheckConfig, LoggingConfig, ModelConfig, NetworkConfig, Origin, Placement, ProviderConfig,
  ResourceLimit, ResourceReservation, Resources, RestartPolicy, SecretConfig, ServiceConfig, ServiceDependency, ServiceHook,
  ServiceKey, ServiceModelConfig, ServiceNetworkConfig, ServicePort, ServiceSecretRef, ServiceVolume, Ulimit, UpdateConfig,
  VolumeConfig, VolumeType, WatchRule,
} from './model.js';
import { dict } from './dict.js';
import { isMapping, type RawMap, type RawValue } from './parse.js';
import { errorAt, formatPath, locate, type Pos } from './positions.js';
import { parseDuration } from './durations.js';
import { parseBytes, parseCpus } from './units.js';
import { ShellSplitError, splitShellWords } from './shell-words.js';
import { kindOf } from './schema.js';

type Path = (string | number)[];

export class Binder {
  constructor(private readonly root: RawMap) {}

  pos(path: Path): Pos | undefined {
    return locate(this.root, path);
  }

  origin(path: Path): Origin {
    const p = this.pos(path);
    return { file: p?.file ?? '', line: p?.line, column: p?.column };
  }

  fail(path: Path, message: string, hint?: string): never {
    const end = /[.?!]$/.test(message) ? '' : '.';
    throw errorAt(this.pos(path), `${formatPath(path)} ${message}${end}`, path, hint);
  }

  str(v: RawValue, path: Path): string {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(path, `must be a string, not ${kindOf(v)}`);
  }

  int(v: RawValue, path: Path): number {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?\d+\s*$/.test(v) ? parseInt(v, 10) : NaN;
    if (!Number.isInteger(n)) this.fail(path, `must be an integer, not ${kindOf(v)}`);
    return n;
  }

  num(v: RawValue, path: Path): number {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(v) ? parseFloat(v) : NaN;
    if (!Number.isFinite(n)) this.fail(path, `must be a number, not ${kindOf(v)}`);
    return n;
  }

  bool(v: RawValue, path: Path): boolean {
    if (typeof v === 'boolean') return v;
    if (typeof v === 'string') {
      if (/^(true|1|t)$/i.test(v.trim())) return true;
      if (/^(false|0|f)$/i.test(v.trim())) return false;
    }
    return this.fail(path, `must be true or false, not ${kindOf(v)}`);
  }

  duration(v: RawValue, path: Path): number {
    const ms = typeof v === 'string' ? parseDuration(v) : v === 0 ? 0 : undefined;
    if (ms === undefined) this.fail(path, `must be a duration such as 30s, 1m30s or 500ms, not ${kindOf(v)}`);
    return ms;
  }

  bytes(v: RawValue, path: Path): number {
    const b = typeof v === 'string' || typeof v === 'number' ? parseBytes(v) : undefined;
    if (b === undefined) this.fail(path, `must be a size in bytes such as 512m or 2g, not ${kindOf(v)}`);
    return b;
  }

  cpus(v: RawValue, path: Path): number {
    const c = typeof v === 'string' || typeof v === 'number' ? parseCpus(v) : undefined;
    if (c === undefined) this.fail(path, `must be a number of CPUs such as 0.5, not ${kindOf(v)}`);
    return c;
  }

  strList(v: RawValue, path: Path): string[] {
    if (v === null) return [];
    if (!Array.isArray(v)) return this.fail(path, `must be a list of strings, not ${kindOf(v)}`);
    return v.map((item, i) => this.str(item, [...path, i]));
  }

  strMap(v: RawValue, path: Path): Record<string, string> {
    const m = this.map(v, path);
    const out: Record<string, string> = dict();
    for (const [k, val] of Object.entries(m)) out[k] = val === null ? '' : this.str(val, [...path, k]);
    return out;
  }

  nullableStrMap(v: RawValue, path: Path): Record<string, string | null> {
    const m = this.map(v, path);
    const out: Record<string, string | null> = dict();
    for (const [k, val] of Object.entries(m)) out[k] = val === null ? null : this.str(val, [...path, k]);
    return out;
  }

  map(v: RawValue, path: Path): RawMap {
    if (v === null) return {};
    if (!isMapping(v)) return this.fail(path, `must be a mapping, not ${kindOf(v)}`);
    return v;
  }

  /** `command:` / `entrypoint:` — a string is split as a shell would; an empty one means "none". */
  command(v: RawValue, path: Path): string[] | null {
    if (v === null) return null;
    if (typeof v === 'string') {
      try {
        const words = splitShellWords(v);
        return words.length === 0 ? null : words;
      } catch (e) {
        if (e instanceof ShellSplitError) this.fail(path, `${e.message}: "${v}"`);
        throw e;
      }
    }
    const list = this.strList(v, path);
    return list.length === 0 ? null : list;
  }

  extensions(v: RawMap): Extensions {
    const out: Extensions = dict();
    for (const k of Object.keys(v)) if (k.startsWith('x-')) out[k] = v[k];
    return out;
  }

  /** Copy `x-*` keys under `extensions` when there are any. */
  withExt<T extends object>(target: T, v: RawMap): T & { extensions?: Extensions } {
    const ext = this.extensions(v);
    if (Object.keys(ext).length > 0) (target as { extensions?: Extensions }).extensions = ext;
    return target;
  }

  /** Apply `fields` to every non-`x-` key of `v`; unknown keys were already refused by the schema. */
  object<T extends object>(v: RawValue, path: Path, fields: { readonly [K in keyof T]?: (value: RawValue, path: Path) => T[K] }): T {
    const m = this.map(v, path);
    const out = {} as T;
    for (const [k, val] of Object.entries(m)) {
      if (k.startsWith('x-')) continue;
      const f = fields[k as keyof T];
      if (!f) this.fail([...path, k], 'is not supported here');
      if (val === null) continue;
      const r = f(val, [...path, k]);
      if (r !== undefined) out[k as keyof T] = r;
    }
    return this.withExt(out, m);
  }
}

type Field<T> = (b: Binder) => (v: RawValue, p: Path) => T;
const s: Field<string> = (b) => (v, p) => b.str(v, p);
const i: Field<number> = (b) => (v, p) => b.int(v, p);
const n: Field<number> = (b) => (v, p) => b.num(v, p);
const t: Field<boolean> = (b) => (v, p) => b.bool(v, p);
const d: Field<number> = (b) => (v, p) => b.duration(v, p);
const bytes: Field<number> = (b) => (v, p) => b.bytes(v, p);
const list: Field<string[]> = (b) => (v, p) => b.strList(v, p);
const smap: Field<Record<string, string>> = (b) => (v, p) => b.strMap(v, p);
const nmap: Field<Record<string, string | null>> = (b) => (v, p) => b.nullableStrMap(v, p);
const stringOrBool: Field<string | boolean> = () => (v) => (typeof v === 'boolean' ? v : String(v));

function ulimits(b: Binder, v: RawValue, p: Path): Record<string, Ulimit> {
  const out: Record<string, Ulimit> = dict();
  for (const [name, u] of Object.entries(b.map(v, p))) {
    const m = b.map(u, [...p, name]);
    out[name] = { soft: b.int(m.soft ?? null, [...p, name, 'soft']), hard: b.int(m.hard ?? null, [...p, name, 'hard']) };
  }
  return out;
}

/** Service `secrets:` / `configs:` (and build secrets): the long form's `source` is optional in the schema, but a reference needs one. */
function mountRefs(b: Binder, v: RawValue, p: Path): ServiceSecretRef[] {
  if (!Array.isArray(v)) return b.fail(p, 'must be a list');
  const what = p[p.length - 1] === 'configs' ? 'config' : 'secret';
  return v.map((item, idx) => {
    const ref = b.object<Omit<ServiceSecretRef, 'source'> & { source?: string }>(item, [...p, idx], {
      source: s(b), target: s(b), uid: s(b), gid: s(b),
      mode: (val, path) => (typeof val === 'string' ? (/^[0-7]+$/.test(val) ? parseInt(val, 8) : b.fail(path, `must be an octal file mode such as 0440, not ${kindOf(val)}`)) : b.int(val, path)),
    });
    if (ref.source === undefined || ref.source === '') b.fail([...p, idx], `needs a source: the name of the top-level ${what} it mounts`, `Write source: NAME, naming an entry of the top-level ${what}s key.`);
    return { ...ref, source: ref.source };
  });
}

/**
 * `defaultCapabilities`: what a request without `capabilities` asks for. `gpus:` entries are GPU
 * requests by definition (docker compose adds the gpu capability to them); a `devices:` entry
 * without capabilities asks for none (the schema requires them there, but merges can drop them).
 */
function deviceRequests(b: Binder, v: RawValue, p: Path, defaultCapabilities: readonly string[]): DeviceRequest[] {
  if (!Array.isArray(v)) return b.fail(p, 'must be a list');
  return v.map((item, idx) => {
    const r = b.object<Omit<DeviceRequest, 'capabilities'> & { capabilities?: string[] }>(item, [...p, idx], {
      capabilities: list(b), device_ids: list(b), driver: s(b), options: smap(b),
      count: (val, path) => (val === 'all' ? -1 : b.int(val, path)),
    });
    return { ...r, capabilities: r.capabilities ?? [...defaultCapabilities] };
  });
}

function extraHosts(b: Binder, v: RawValue, p: Path): Record<string, string[]> {
  const out: Record<string, string[]> = dict();
  for (const [host, ips] of Object.entries(b.map(v, p))) out[host] = b.strList(ips, [...p, host]);
  return out;
}

function hooks(b: Binder, v: RawValue, p: Path): ServiceHook[] {
  if (!Array.isArray(v)) return b.fail(p, 'must be a list');
  return v.map((item, idx) => hook(b, item, [...p, idx]));
}

function hook(b: Binder, v: RawValue, p: Path): ServiceHook {
  return b.object<ServiceHook>(v, p, {
    command: (val, path) => b.command(val, path) ?? [], user: s(b), privileged: t(b), working_dir: s(b),
    environment: (val, path) => b.nullableStrMap(val, path),
  });
}

function ports(b: Binder, v: RawValue, p: Path): ServicePort[] {
  if (!Array.isArray(v)) return b.fail(p, 'must be a list');
  return v.map((item, idx) => {
    const port = b.object<ServicePort>(item, [...p, idx], {
      target: i(b), published: s(b), host_ip: s(b), protocol: s(b), mode: s(b), app_protocol: s(b), name: s(b),
    });
    if (port.protocol !== 'tcp' && port.protocol !== 'udp' && port.protocol !== 'sctp') b.fail([...p, idx, 'protocol'], `must be tcp or udp, not "${port.protocol}"`);
    if (port.mode !== undefined && port.mode !== 'ingress' && port.mode !== 'host') b.fail([...p, idx, 'mode'], `must be ingress or host, not "${port.mode}"`);
    return port;
  });
}

function volumes(b: Binder, v: RawValue, p: Path): ServiceVolume[] {
  if (!Array.isArray(v)) return b.fail(p, 'must be a list');
  return v.map((item, idx) => {
    const path = [...p, idx];
    const vol = b.object<ServiceVolume>(item, path, {
      type: (val, q) => b.str(val, q) as VolumeType, source: s(b), target: s(b), read_only: t(b), consistency: s(b),
      bind: (val, q) => b.object(val, q, { propagation: s(b), create_host_path: t(b), recursive: s(b), selinux: (x, r) => b.str(x, r) as 'z' | 'Z' }),
      volume: (val, q) => b.object(val, q, { nocopy: t(b), subpath: s(b), labels: smap(b) }),
      tmpfs: (val, q) => b.object(val, q, {
        size: bytes(b),
        mode: (x, r) => (typeof x === 'string' ? (/^[0-7]+$/.test(x) ? parseInt(x, 8) : b.fail(r, `must be an octal mode such as 1777, not ${kindOf(x)}`)) : b.int(x, r)),
      }),
      image: (val, q) => b.object(val, q, { subpath: s(b) }),
    });
    if (vol.target === undefined || vol.target === '') b.fail(path, 'needs a target (the path inside the container)');
    if (vol.type === 'bind' && !vol.source) b.fail(path, 'is a bind mount without a source path');
    return vol;
  });
}

function dependsOn(b: Binder, v: RawValue, p: Path): Record<string, ServiceDependency> {
  const out: Record<string, ServiceDependency> = dict();
  for (const [name, dep] of Object.entries(b.map(v, p))) {
    const r = b.object<ServiceDependency>(dep, [...p, name], {
      condition: (x, q) => {
        const c = b.str(x, q);
        if (c !== 'service_started' && c !== 'service_healthy' && c !== 'service_completed_successfully') b.fail(q, `must be service_started, service_healthy or service_completed_successfully, not "${c}"`);
        return c;
      },
      required: t(b), restart: t(b),
    });
    out[name] = { condition: r.condition ?? 'service_started', required: r.required ?? true, restart: r.restart ?? false, ...(r.extensions ? { extensions: r.extensions } : {}) };
  }
  return out;
}

function healthcheck(b: Binder, v: RawValue, p: Path): HealthcheckConfig {
  const h = b.object<HealthcheckConfig>(v, p, {
    test: (x, q) => b.strList(x, q), interval: d(b), timeout: d(b), retries: (x, q) => b.int(x, q),
    start_period: d(b), start_interval: d(b), disable: t(b),
  });
  if (h.test && h.test.length > 0 && !['CMD', 'CMD-SHELL', 'NONE'].includes(h.test[0]!)) {
    b.fail([...p, 'test'], `must start with CMD, CMD-SHELL or NONE, not "${h.test[0]}"`, 'Write test: ["CMD", "curl", "-f", "http://localhost"] or a string for the shell.');
  }
  if (h.test?.[0] === 'NONE') h.disable = true;
  return h;
}

function deploy(b: Binder, v: RawValue, p: Path): DeployConfig {
  const update: Field<UpdateConfig> = (bb) => (x, q) =>
    bb.object<UpdateConfig>(x, q, {
      parallelism: i(bb), delay: d(bb), failure_action: s(bb), monitor: d(bb), max_failure_ratio: n(bb),
      order: (y, r) => bb.str(y, r) as 'start-first' | 'stop-first',
    });
  return b.object<DeployConfig>(v, p, {
    mode: s(b), endpoint_mode: s(b), replicas: i(b), labels: smap(b),
    rollback_config: update(b), update_config: update(b),
    resources: (x, q) => b.object<Resources>(x, q, {
      limits: (y, r) => b.object<ResourceLimit>(y, r, { cpus: (z, u) => b.cpus(z, u), memory: bytes(b), pids: i(b) }),
      reservations: (y, r) => b.object<ResourceReservation>(y, r, {
        cpus: (z, u) => b.cpus(z, u), memory: bytes(b),
        devices: (z, u) => deviceRequests(b, z, u, []),
        generic_resources: (z, u) => {
          if (!Array.isArray(z)) return b.fail(u, 'must be a list');
          return z.map((g, gi) => b.object(g, [...u, gi], {
            discrete_resource_spec: (w, wp) => b.object<{ kind: string; value: number }>(w, wp, { kind: s(b), value: n(b) }),
          }));
        },
      }),
    }),
    restart_policy: (x, q) => b.object<RestartPolicy>(x, q, { condition: s(b), delay: d(b), max_attempts: i(b), window: d(b) }),
    placement: (x, q) => b.object<Placement>(x, q, {
      constraints: list(b), max_replicas_per_node: i(b),
      preferences: (y, r) => {
        if (!Array.isArray(y)) return b.fail(r, 'must be a list');
        return y.map((pref, pi) => b.object<{ spread: string }>(pref, [...r, pi], { spread: s(b) }));
      },
    }),
  });
}

function build(b: Binder, v: RawValue, p: Path): BuildConfig {
  const out = b.object<BuildConfig>(v, p, {
    context: s(b), dockerfile: s(b), dockerfile_inline: s(b), entitlements: list(b), args: nmap(b), ssh: list(b),
    labels: smap(b), cache_from: list(b), cache_to: list(b), no_cache: t(b), no_cache_filter: list(b),
    additional_contexts: smap(b), network: s(b), provenance: stringOrBool(b), sbom: stringOrBool(b), pull: t(b),
    target: s(b), shm_size: bytes(b), extra_hosts: (x, q) => extraHosts(b, x, q), isolation: s(b), privileged: t(b),
    secrets: (x, q) => mountRefs(b, x, q), tags: list(b), ulimits: (x, q) => ulimits(b, x, q), platforms: list(b),
  });
  if (out.context === undefined) out.context = '.';
  return out;
}

function blkio(b: Binder, v: RawValue, p: Path): BlkioConfig {
  const limits = (x: RawValue, q: Path) => {
    if (!Array.isArray(x)) return b.fail(q, 'must be a list');
    return x.map((l, li) => {
      const m = b.map(l, [...q, li]);
      return { path: b.str(m.path ?? null, [...q, li, 'path']), rate: b.bytes(m.rate ?? null, [...q, li, 'rate']) };
    });
  };
  return b.object<BlkioConfig>(v, p, {
    device_read_bps: limits, device_read_iops: limits, device_write_bps: limits, device_write_iops: limits, weight: i(b),
    weight_device: (x, q) => {
      if (!Array.isArray(x)) return b.fail(q, 'must be a list');
      return x.map((w, wi) => {
        const m = b.map(w, [...q, wi]);
        return { path: b.str(m.path ?? null, [...q, wi, 'path']), weight: b.int(m.weight ?? null, [...q, wi, 'weight']) };
      });
    },
  });
}

function develop(b: Binder, v: RawValue, p: Path): DevelopConfig {
  return b.object<DevelopConfig>(v, p, {
    watch: (x, q) => {
      if (!Array.isArray(x)) return b.fail(q, 'must be a list');
      return x.map((w, wi) => b.object<WatchRule>(w, [...q, wi], {
        path: s(b), action: (y, r) => b.str(y, r) as WatchRule['action'], target: s(b), ignore: list(b), include: list(b),
        exec: (y, r) => hook(b, y, r), initial_sync: t(b),
      }));
    },
  });
}

/** One converter per service key: the compiler refuses a ServiceKey without one. */
const SERVICE_FIELDS: { readonly [K in ServiceKey]: (b: Binder, v: RawValue, p: Path) => ServiceConfig[K] } = Object.freeze({
  annotations: (b, v, p) => b.strMap(v, p),
  attach: (b, v, p) => b.bool(v, p),
  blkio_config: blkio,
  build,
  cap_add: (b, v, p) => b.strList(v, p),
  cap_drop: (b, v, p) => b.strList(v, p),
  cgroup: (b, v, p) => b.str(v, p),
  cgroup_parent: (b, v, p) => b.str(v, p),
  command: (b, v, p) => b.command(v, p),
  configs: mountRefs,
  container_name: (b, v, p) => b.str(v, p),
  cpu_count: (b, v, p) => b.int(v, p),
  cpu_percent: (b, v, p) => b.int(v, p),
  cpu_period: (b, v, p) => b.int(v, p),
  cpu_quota: (b, v, p) => b.int(v, p),
  cpu_rt_period: (b, v, p) => (typeof v === 'string' && !/^\d+$/.test(v) ? b.duration(v, p) * 1000 : b.int(v, p)),
  cpu_rt_runtime: (b, v, p) => (typeof v === 'string' && !/^\d+$/.test(v) ? b.duration(v, p) * 1000 : b.int(v, p)),
  cpu_shares: (b, v, p) => b.int(v, p),
  cpus: (b, v, p) => b.cpus(v, p),
  cpuset: (b, v, p) => b.str(v, p),
  credential_spec: (b, v, p) => b.object<CredentialSpec>(v, p, { config: s(b), file: s(b), registry: s(b) }),
  depends_on: dependsOn,
  deploy,
  develop,
  device_cgroup_rules: (b, v, p) => b.strList(v, p),
  devices: (b, v, p) => {
    if (!Array.isArray(v)) return b.fail(p, 'must be a list');
    return v.map((x, xi) => {
      const m = b.object<DeviceMapping>(x, [...p, xi], { source: s(b), target: s(b), permissions: s(b) });
      return { source: m.source, target: m.target ?? m.source, permissions: m.permissions ?? 'rwm' };
    });
  },
  dns: (b, v, p) => b.strList(v, p),
  dns_opt: (b, v, p) => b.strList(v, p),
  dns_search: (b, v, p) => b.strList(v, p),
  domainname: (b, v, p) => b.str(v, p),
  entrypoint: (b, v, p) => b.command(v, p),
  env_file: (b, v, p) => {
    if (!Array.isArray(v)) return b.fail(p, 'must be a list');
    return v.map((x, xi) => {
      const m = b.object<EnvFile>(x, [...p, xi], { path: s(b), required: t(b), format: s(b) });
      return { path: m.path, required: m.required ?? true, ...(m.format ? { format: m.format } : {}) };
    });
  },
  environment: (b, v, p) => b.nullableStrMap(v, p),
  expose: (b, v, p) => b.strList(v, p),
  extends: (b, v, p) => b.object<{ service: string; file?: string }>(v, p, { service: s(b), file: s(b) }),
  external_links: (b, v, p) => b.strList(v, p),
  extra_hosts: extraHosts,
  gpus: (b, v, p) => deviceRequests(b, v, p, ['gpu']),
  group_add: (b, v, p) => (Array.isArray(v) ? v.map((x, xi) => b.str(x, [...p, xi])) : b.fail(p, 'must be a list')),
  healthcheck,
  hostname: (b, v, p) => b.str(v, p),
  image: (b, v, p) => b.str(v, p),
  init: (b, v, p) => b.bool(v, p),
  ipc: (b, v, p) => b.str(v, p),
  isolation: (b, v, p) => b.str(v, p),
  label_file: (b, v, p) => b.strList(v, p),
  labels: (b, v, p) => b.strMap(v, p),
  links: (b, v, p) => b.strList(v, p),
  logging: (b, v, p) => b.object<LoggingConfig>(v, p, { driver: s(b), options: nmap(b) }),
  mac_address: (b, v, p) => b.str(v, p),
  mem_limit: (b, v, p) => b.bytes(v, p),
  mem_reservation: (b, v, p) => b.bytes(v, p),
  mem_swappiness: (b, v, p) => b.int(v, p),
  memswap_limit: (b, v, p) => (v === -1 || v === '-1' ? -1 : b.bytes(v, p)),
  models: (b, v, p) => {
    const out: Record<string, ServiceModelConfig | null> = dict();
    for (const [k, m] of Object.entries(b.map(v, p))) out[k] = m === null ? null : b.object<ServiceModelConfig>(m, [...p, k], { endpoint_var: s(b), model_var: s(b) });
    return out;
  },
  network_mode: (b, v, p) => b.str(v, p),
  networks: (b, v, p) => {
    const out: Record<string, ServiceNetworkConfig | null> = dict();
    for (const [k, m] of Object.entries(b.map(v, p))) {
      out[k] = m === null ? null : b.object<ServiceNetworkConfig>(m, [...p, k], {
        aliases: list(b), interface_name: s(b), ipv4_address: s(b), ipv6_address: s(b), link_local_ips: list(b),
        mac_address: s(b), driver_opts: smap(b), priority: n(b), gw_priority: n(b),
      });
    }
    return out;
  },
  oom_kill_disable: (b, v, p) => b.bool(v, p),
  oom_score_adj: (b, v, p) => b.int(v, p),
  pid: (b, v, p) => b.str(v, p),
  pids_limit: (b, v, p) => b.int(v, p),
  platform: (b, v, p) => b.str(v, p),
  ports,
  post_start: hooks,
  pre_stop: hooks,
  privileged: (b, v, p) => b.bool(v, p),
  profiles: (b, v, p) => b.strList(v, p),
  provider: (b, v, p) => {
    const m = b.map(v, p);
    const out: ProviderConfig = { type: b.str(m.type ?? null, [...p, 'type']) };
    if (m.options !== undefined && m.options !== null) out.options = b.map(m.options, [...p, 'options']) as ProviderConfig['options'];
    return b.withExt(out, m);
  },
  pull_policy: (b, v, p) => b.str(v, p),
  pull_refresh_after: (b, v, p) => b.str(v, p),
  read_only: (b, v, p) => b.bool(v, p),
  restart: (b, v, p) => b.str(v, p),
  runtime: (b, v, p) => b.str(v, p),
  scale: (b, v, p) => b.int(v, p),
  secrets: mountRefs,
  security_opt: (b, v, p) => b.strList(v, p),
  shm_size: (b, v, p) => b.bytes(v, p),
  stdin_open: (b, v, p) => b.bool(v, p),
  stop_grace_period: (b, v, p) => {
    const ms = b.duration(v, p);
    if (ms < 0) b.fail(p, `must not be negative, not ${kindOf(v)}`, 'Give the seconds the container may take to stop, such as 10s.');
    return ms;
  },
  stop_signal: (b, v, p) => b.str(v, p),
  storage_opt: (b, v, p) => b.strMap(v, p),
  sysctls: (b, v, p) => b.strMap(v, p),
  tmpfs: (b, v, p) => b.strList(v, p),
  tty: (b, v, p) => b.bool(v, p),
  ulimits,
  use_api_socket: (b, v, p) => b.bool(v, p),
  user: (b, v, p) => b.str(v, p),
  userns_mode: (b, v, p) => b.str(v, p),
  uts: (b, v, p) => b.str(v, p),
  volumes,
  volumes_from: (b, v, p) => b.strList(v, p),
  working_dir: (b, v, p) => b.str(v, p),
});

export const SERVICE_KEYS: readonly ServiceKey[] = Object.freeze(Object.keys(SERVICE_FIELDS).sort() as ServiceKey[]);

export function bindService(b: Binder, name: string, raw: RawValue): ServiceConfig {
  const path: Path = ['services', name];
  const m = b.map(raw, path);
  const svc: ServiceConfig = { name, origin: b.origin(path), extensions: b.extensions(m) };
  for (const key of Object.keys(m).sort()) {
    if (key.startsWith('x-')) continue;
    const f = SERVICE_FIELDS[key as ServiceKey];
    if (!f) b.fail([...path, key], 'is not a compose service key');
    const value = m[key]!;
    if (value === null && key !== 'command' && key !== 'entrypoint') continue;
    (svc as unknown as Record<string, unknown>)[key] = f(b, value, [...path, key]);
  }
  return svc;
}

export function bindNetwork(b: Binder, key: string, raw: RawValue, project: string): NetworkConfig {
  const path: Path = ['networks', key];
  const net = b.object<Omit<NetworkConfig, 'name'> & { name?: string }>(raw, path, {
    name: s(b), driver: s(b), driver_opts: smap(b), external: t(b), internal: t(b), enable_ipv4: t(b), enable_ipv6: t(b),
    attachable: t(b), labels: smap(b),
    ipam: (v, p) => b.object<NonNullable<NetworkConfig['ipam']>>(v, p, {
      driver: s(b), options: smap(b),
      config: (x, q) => {
        if (!Array.isArray(x)) return b.fail(q, 'must be a list');
        return x.map((c, ci) => b.object(c, [...q, ci], { subnet: s(b), ip_range: s(b), gateway: s(b), aux_addresses: smap(b) }));
      },
    }),
  });
  return { ...net, name: net.name ?? (net.external ? key : `${project}_${key}`), origin: b.origin(path), extensions: net.extensions ?? {} };
}

export function bindVolume(b: Binder, key: string, raw: RawValue, project: string): VolumeConfig {
  const path: Path = ['volumes', key];
  const vol = b.object<Omit<VolumeConfig, 'name'> & { name?: string }>(raw, path, { name: s(b), driver: s(b), driver_opts: smap(b), external: t(b), labels: smap(b) });
  return { ...vol, name: vol.name ?? (vol.external ? key : `${project}_${key}`), origin: b.origin(path), extensions: vol.extensions ?? {} };
}

export function bindSecret(b: Binder, key: string, raw: RawValue, project: string): SecretConfig {
  const path: Path = ['secrets', key];
  const sec = b.object<Omit<SecretConfig, 'name'> & { name?: string }>(raw, path, {
    name: s(b), file: s(b), environment: s(b), external: t(b), labels: smap(b), driver: s(b), driver_opts: smap(b), template_driver: s(b),
  });
  if (!sec.external && sec.file === undefined && sec.environment === undefined) b.fail(path, 'needs one of file, environment or external: true');
  return { ...sec, name: sec.name ?? (sec.external ? key : `${project}_${key}`), origin: b.origin(path), extensions: sec.extensions ?? {} };
}

export function bindConfig(b: Binder, key: string, raw: RawValue, project: string): ConfigObjConfig {
  const path: Path = ['configs', key];
  const cfg = b.object<Omit<ConfigObjConfig, 'name'> & { name?: string }>(raw, path, {
    name: s(b), file: s(b), environment: s(b), content: s(b), external: t(b), labels: smap(b), template_driver: s(b),
  });
  if (!cfg.external && cfg.file === undefined && cfg.environment === undefined && cfg.content === undefined) b.fail(path, 'needs one of file, environment, content or external: true');
  return { ...cfg, name: cfg.name ?? (cfg.external ? key : `${project}_${key}`), origin: b.origin(path), extensions: cfg.extensions ?? {} };
}

export function bindModel(b: Binder, key: string, raw: RawValue): ModelConfig {
  const m = b.object<ModelConfig>(raw, ['models', key], { name: s(b), model: s(b), context_size: i(b), runtime_flags: list(b) });
  return { ...m, extensions: m.extensions ?? {} };
}
